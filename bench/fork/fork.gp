# A ready VM three ways and the seed's single-use VM, as distributions
# (CDF): hello, fresh, fork (with their teardown) and reset.
load "gp/common.gp"
load f("fork.gp")
set title "A ready VM and one request: fresh, forked from a warmed snapshot, or reset to it\n".subtitle. \
	(strlen(ratios) ? "\nratios of run medians: ".ratios : "")
set xlabel "time per ready VM and request (us)"
set ylabel "fraction of samples at or below"
set yrange [0:1]
set key bottom right
set logscale x
plot for [i=1:lines] f(line_file[i]) using 1:2 with lines lw 2 lc rgb line_color[i] \
		title line_title[i]

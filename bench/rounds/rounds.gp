# Time per guest round: re-entering a live VM with no reset against a full
# clear of its write-enabled memory; the seed's published means as
# vertical lines.
load "gp/common.gp"
chart = "rounds"
load "gp/reference.gp"
load f("rounds.gp")
set title "Re-entering live VMs: time per guest round\n".subtitle
set xlabel "time per guest round (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set key bottom right
set logscale x
plot for [i=1:lines] f(line_file[i]) using 1:2 with lines lw 2 lc rgb line_color[i] \
		title line_title[i], \
	(have_ref ? 1/0 : 1/0) with lines dt 2 lw 2 lc rgb "#444444" \
		title (have_ref ? ref_means : "")

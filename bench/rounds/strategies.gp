# Reset strategies side by side: time per guest round for each way of
# bringing the write-enabled memory back to its pristine image.  The
# strategies, their legends and colours come from the view: only those
# this run measured.
load "gp/common.gp"
load f("strategies.gp")
set title "Resetting live VMs to a pristine image (1 dirtied page of 1 MiB): time per guest round\n".subtitle
set xlabel "time per guest round: reset + run (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot for [i=1:strategies_n] f(strategies_cdf[i]) using 1:2 with lines lw 2 \
	lc rgb strategies_color[i] title strategies_title[i]

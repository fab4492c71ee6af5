# Reset strategies side by side: time per guest round for each way of
# bringing the write-enabled memory back to its pristine image.  The
# strategies, their legends and colours come from the data
# (rounds-all--strategies.gp): only those this run measured.
load "gp/common.gp"
load f("rounds-all--meta.gp")
load f("rounds-all--strategies.gp")
set title sprintf("Resetting live VMs to a pristine image (1 dirtied page of 1 MiB): time per guest round\n%s, %d rounds of each strategy, each on its own VMs%s", \
	machine, n_reset_run_reset_none + 0, status(incomplete))
set xlabel "time per guest round: reset + run (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot for [i=1:strategies_n] f(strategies_cdf[i]) using 1:2 with lines lw 2 \
	lc rgb strategies_color[i] title strategies_title[i]

# Reset strategies side by side: time per guest round for each way of
# bringing the write-enabled memory back to its pristine image.
load gp."/common.gp"
load gp."/strategy-colors.gp"
load f("rounds-all--meta.gp")
set title sprintf("Resetting live VMs to a pristine image (1 dirtied page of 1 MiB): time per guest round\n%s, %d rounds of each strategy, each on its own VMs%s", \
	machine, n_reset_run_reset_none + 0, status(incomplete))
set xlabel "time per guest round: reset + run (us)"
set ylabel "fraction of rounds at or below"
set yrange [0:1]
set logscale x
set key bottom right
# Only the strategies this run measured (a refused probe leaves one out).
cdf(s) = f("rounds-all--reset-run--reset_".s.".cdf")
all = "none full madvise cow dirty-log dirty-ring pte-dirty soft-dirty"
measured = ""
do for [i=1:words(all)] {
	if (system("test -f '".cdf(word(all, i))."' && echo 1") eq "1") {
		measured = measured." ".word(all, i)
	}
}
plot for [i=1:words(measured)] cdf(word(measured, i)) using 1:2 with lines lw 2 \
	lc rgb strategy_color(word(measured, i)) title strategy_title(word(measured, i))

# The same guest in KVM and in an emulator (kvmbench-breakeven): time per
# run against the work it does, log-log, one line per mode (median, bars
# p25 to p75), the crossovers marked, and the seed's claim that a guest
# must compute for about 1.5 ms before a VM can compete.  The top axis is
# the guest's own computing time, run natively.  Modes, titles, colours and
# crossovers come from the view.
load "gp/common.gp"
load f("breakeven.gp")
set title "How long must a guest compute before a VM beats an emulator?\n".subtitle
set xlabel "work per run (units of 1093 guest instructions, log scale)"
set x2label "the guest's own computing time, natively (ms)"
set ylabel "time per run (us, log scale)"
set logscale xy
set logscale x2
set xrange [0.8:largest * 1.25]
set x2range [0.8 * unit_us / 1000:largest * 1.25 * unit_us / 1000]
set xtics nomirror
set x2tics format "%g"
set key top left box opaque
seed_units = 1500 / unit_us
set arrow 1 from seed_units, graph 0 to seed_units, graph 1 nohead dt 2 lc rgb "#555555"
set label 1 "the seed's claim: 1.5 ms\nof computing" at seed_units, graph 0.45 offset -0.5,0 \
	right tc rgb "#555555"
if (cross_single == cross_single) {
	set arrow 2 from cross_single, graph 0 to cross_single, graph 1 nohead dt 3 \
		lc rgb be_color[1]
	set label 2 sprintf("single-use VM wins from %.0f units (%.3f ms)", cross_single, \
		cross_single * unit_us / 1000) at cross_single, graph 0.05 offset 0.5,1 left \
		tc rgb be_color[1]
}
if (cross_reuse == cross_reuse) {
	set arrow 3 from cross_reuse, graph 0 to cross_reuse, graph 1 nohead dt 3 \
		lc rgb "#555555"
	set label 3 sprintf("reused VM wins from %.0f units (%.4f ms)", cross_reuse, \
		cross_reuse * unit_us / 1000) at cross_reuse, graph 0.12 offset 0.5,1 left \
		tc rgb "#555555"
}
plot for [m=1:4] f("breakeven.dat") using 1:(column(3 * m - 1)):(column(3 * m)):(column(3 * m + 1)) \
	with yerrorlines lw 2 pt 7 ps 0.6 lc rgb be_color[m] title be_title[m]

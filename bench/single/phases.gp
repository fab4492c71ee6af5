# Where the single-use cost goes: the median of each phase, stacked, one
# bar per run with phases (shared memory, and individual when measured).
load "gp/common.gp"
load f("phases.gp")
set title "Where the single-use cost goes: median of each phase per VM\n".subtitle
set ylabel "time per VM (us), medians stacked"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set key outside right top autotitle columnhead
set yrange [0:*]
set xrange [-0.6:rows - 0.4]
plot for [i=2:*] f("phases.dat") using i:xtic(1) lc (i - 1)

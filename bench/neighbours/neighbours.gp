# The victim's chunk time against the aggressors' achieved rate: p99
# (solid) and p50 (dashed), a colour per kind, points filled for processes
# and open for threads of the victim's process; idle's p99 and p50 as
# horizontal lines.
load "gp/common.gp"
load f("neighbours.gp")
set title "A victim vCPU's chunk while neighbours churn: p99 (solid) and p50 (dashed)\n".subtitle. \
	(strlen(worst) ? "\n".worst : "")
set xlabel "aggressors' operations per second (achieved)"
set ylabel "victim's chunk time (us)"
set logscale x
set yrange [0:*]
set key outside right top
color(k) = word("#1f77b4 #ff7f0e #2ca02c", k)
kind(k) = word("oneshot reset mmap", k)
plot for [i=0:5] f("neighbours.dat") index i using 1:3 with linespoints lw 2 \
		pt ((i % 2) ? 6 : 7) lc rgb color(i / 2 + 1) \
		title kind(i / 2 + 1).((i % 2) ? ", threads" : ", processes"), \
	for [i=0:5] f("neighbours.dat") index i using 1:2 with linespoints dt 2 \
		pt ((i % 2) ? 6 : 7) lc rgb color(i / 2 + 1) notitle, \
	idle_p99 with lines lw 2 lc rgb "#444444" title "idle p99", \
	idle_p50 with lines dt 2 lc rgb "#444444" title "idle p50"

# Creating live VMs from several threads at once: throughput, and how many
# cores' worth of CPU time it costs (system time that buys no throughput is
# contention in the kernel).
load "gp/common.gp"
load f("threads.gp")
set title "Creating live VMs from several threads at once\n".subtitle
set xlabel "threads"
set ylabel "VMs created per second"
set y2label "CPU time per wall second (cores)"
set xtics 1
set xrange [0.5:threads_max + 0.5]
set yrange [0:*]
set y2range [0:*]
set y2tics
set key bottom right
plot f("threads.dat") using 1:3 with linespoints pt 7 lw 2 lc rgb "#1f77b4" \
		title "VMs per second", \
	'' using 1:4 axes x1y2 with linespoints pt 5 dt 2 lc rgb "#d62728" \
		title "system time (cores)", \
	'' using 1:5 axes x1y2 with linespoints pt 6 dt 3 lc rgb "#2ca02c" \
		title "user time (cores)"

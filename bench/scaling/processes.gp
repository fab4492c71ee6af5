# How many VMs a process should hold: the same live VMs at several VMs per
# process (kvmbench-scaling --sweep-processes), the wall time of creating
# them all and the sum of the creation samples, at each point.
load "gp/common.gp"
load f("processes.gp")
set title "The same live VMs over more processes\n".subtitle
set xlabel "VMs per process (log scale; the number of processes above each point)"
set ylabel "time to make them all live (s)"
set logscale x
set xrange [*:*] reverse
set yrange [0:*]
set key top right box opaque
plot f("processes.dat") using 1:3 with linespoints pt 7 lw 2 lc rgb "#1f77b4" \
		title "wall time, first VM to last", \
	f("processes.dat") using 1:4 with linespoints pt 6 lc rgb "#ff7f0e" \
		title "sum of the creation samples", \
	f("processes.dat") using 1:3:(sprintf("%d", $2)) with labels offset 0,1 notitle

# Instantiation time of every run compared, a line per run.
data = "r1"
load "gp/common.gp"
load "letters.gp"
view = "instantiation.gp"
load "gp/runs.gp"
set title "KVM virtual machine instantiation time\n".runs_title
set xlabel "live VMs"
set ylabel "cumulative time (s)"
set xrange [0:*]
set yrange [0:*]
plot for [i=1:runs] sprintf("r%d/instantiation.dat", i) using 1:2 with linespoints pt 7 lw 2 \
	lc rgb run_color[i] title letter[i].": ".run_name_of[i]

# Instantiation time of run A against run B.
data = "a"
load "gp/common.gp"
load "a/run--name.gp"
la = run_name
load "b/run--name.gp"
lb = run_name
load "a/instantiation.gp"
ma = machine
load "b/instantiation.gp"
mb = machine
set title sprintf("KVM virtual machine instantiation time\nA: %s (%s)\nB: %s (%s)", la, ma, lb, mb)
set xlabel "live VMs"
set ylabel "cumulative time (s)"
set xrange [0:*]
set yrange [0:*]
plot "a/instantiation.dat" using 1:2 with linespoints pt 7 lw 2 lc rgb "#1f77b4" title "A: ".la, \
	"b/instantiation.dat" using 1:2 with linespoints pt 5 lw 2 lc rgb "#d62728" title "B: ".lb

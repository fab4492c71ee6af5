# The reset sweep of run A against run B: median time per guest round per
# strategy, A solid, B dashed.  The driver sets kind ("pages" or "size").
data = "a"
load "gp/common.gp"
load "a/run--name.gp"
la = run_name
load "b/run--name.gp"
lb = run_name
load "b/sweep.gp"
mb = machine
load "a/sweep.gp"
ma = machine
na = sweep_n
array name_a[na]
array color_a[na]
do for [i=1:na] { name_a[i] = sweep_name[i]; color_a[i] = sweep_color[i] }
load "b/sweep.gp"
set title sprintf("Reset sweep: time per guest round against %s\nA (solid): %s (%s)\nB (dashed): %s (%s)", \
	kind eq "pages" ? "dirtied pages of 1 MiB" : "write-enabled memory (KiB), 1 dirtied page", la, ma, lb, mb)
set xlabel kind eq "pages" ? "heap pages the guest writes per run" : "write-enabled memory per VM (KiB)"
set ylabel "median time per guest round (us)"
set logscale xy
file = "sweep-".kind.".dat"
plot for [i=1:na] "a/".file index (i-1) using 1:2 with linespoints lw 2 pt 7 ps 0.6 \
		lc rgb color_a[i] title "A: ".name_a[i], \
	for [i=1:sweep_n] "b/".file index (i-1) using 1:2 with linespoints lw 2 dt 2 pt 6 \
		ps 0.6 lc rgb sweep_color[i] title "B: ".sweep_name[i]

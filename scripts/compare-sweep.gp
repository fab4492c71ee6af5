# The reset sweep of run A against run B: median time per guest round per
# strategy, A solid, B dashed.  The driver sets gp, a, b, la, lb, kind
# ("pages" or "size"), out, fmt.
ref = ""
data = a
load gp."/common.gp"
load gp."/strategy-colors.gp"
load a."/rounds-sweep--meta.gp"
ma = machine
load b."/rounds-sweep--meta.gp"
mb = machine
load a."/rounds-sweep--sweep.gp"
sa = strategies
load b."/rounds-sweep--sweep.gp"
sb = strategies
set title sprintf("Reset sweep: time per guest round against %s\nA (solid): %s (%s)\nB (dashed): %s (%s)", \
	kind eq "pages" ? "dirtied pages of 1 MiB" : "write-enabled memory (KiB), 1 dirtied page", la, ma, lb, mb)
set xlabel kind eq "pages" ? "heap pages the guest writes per run" : "write-enabled memory per VM (KiB)"
set ylabel "median time per guest round (us)"
set logscale xy
file = "rounds-sweep--sweep-".kind.".dat"
plot for [i=1:words(sa)] a."/".file index (i-1) using 1:2 with linespoints lw 2 pt 7 ps 0.6 \
		lc rgb strategy_color(word(sa, i)) title "A: ".word(sa, i), \
	for [i=1:words(sb)] b."/".file index (i-1) using 1:2 with linespoints lw 2 dt 2 pt 6 \
		ps 0.6 lc rgb strategy_color(word(sb, i)) title "B: ".word(sb, i)

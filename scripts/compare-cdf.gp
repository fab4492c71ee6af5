# One series of run A against the same series of run B, as CDFs.
# The driver sets gp, a, b (data directories), la, lb (run names),
# file (the .cdf file's name), what (the series, for the title), out, fmt.
ref = ""
data = a
load gp."/common.gp"
load a."/".meta
ma = machine
load b."/".meta
mb = machine
set title sprintf("%s\nA: %s (%s)\nB: %s (%s)", what, la, ma, lb, mb)
set xlabel "value (us)"
set ylabel "fraction at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot a."/".file using 1:2 with lines lw 2 lc rgb "#1f77b4" title "A: ".la, \
	b."/".file using 1:2 with lines lw 2 lc rgb "#d62728" title "B: ".lb

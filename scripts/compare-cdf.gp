# One series of run A against the same series of run B, as CDFs.  The
# driver links the series' files as a/series.cdf, a/series.gp (its title),
# a/meta.gp, and the same under b/.
data = "a"
load "gp/common.gp"
load "a/run--name.gp"
la = run_name
load "b/run--name.gp"
lb = run_name
load "a/meta.gp"
ma = machine
load "b/meta.gp"
mb = machine
load "a/series.gp"
set title sprintf("%s\nA: %s (%s)\nB: %s (%s)", series_title, la, ma, lb, mb)
set xlabel "value"
set ylabel "fraction at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot "a/series.cdf" using 1:2 with lines lw 2 lc rgb "#1f77b4" title "A: ".la, \
	"b/series.cdf" using 1:2 with lines lw 2 lc rgb "#d62728" title "B: ".lb

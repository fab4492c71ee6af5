# One series of every run, as CDFs, a line per run.  The driver links each
# run's files under r1/ ... (series.cdf, series.gp: its title, meta.gp: its
# machine, run--name.gp) and names the runs in letters.gp.
data = "r1"
load "gp/common.gp"
load "letters.gp"
load "gp/runs.gp"
load "r1/series.gp"
set title sprintf("%s\n%s", series_title, runs_title)
set xlabel "value"
set ylabel "fraction at or below"
set yrange [0:1]
set logscale x
set key bottom right
plot for [i=1:runs] sprintf("r%d/series.cdf", i) using 1:2 with lines lw 2 \
	lc rgb run_color[i] title letter[i].": ".run_name_of[i]

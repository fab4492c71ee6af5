# Reset strategies against the work done: median time per guest round
# (bars: p25 to p75) as the guest dirties more of its 1 MiB per run.
load "gp/common.gp"
load f("sweep.gp")
set title "Resetting live VMs: time per guest round against the pages a run dirties (of 1 MiB)\n".subtitle
set xlabel "heap pages the guest writes per run (4 KiB each; the stack's page besides)"
set ylabel "median time per guest round: reset + run (us)"
set logscale xy
set xtics (1, 4, 16, 64, 256)
set xrange [0.8:320]
plot for [i=1:sweep_n] f("sweep-pages.dat") index (i-1) \
	using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 lc rgb sweep_color[i] title sweep_title[i]

# Reset strategies against the size of the write-enabled memory: median
# time per guest round (bars: p25 to p75) with 1 dirtied page per run.
load "gp/common.gp"
load f("sweep.gp")
set title "Resetting live VMs: time per guest round against the write-enabled memory per VM (1 dirtied page)\n".subtitle
set xlabel "write-enabled memory per VM"
set ylabel "median time per guest round: reset + run (us)"
set logscale xy
set xtics ("64 KiB" 64, "256 KiB" 256, "1 MiB" 1024, "4 MiB" 4096, "16 MiB" 16384)
set xrange [50:20000]
plot for [i=1:sweep_n] f("sweep-size.dat") index (i-1) \
	using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 lc rgb sweep_color[i] title sweep_title[i]

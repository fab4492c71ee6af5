# Every method against the warmed memory W (1 page per request): median
# time per ready VM and request, bars p25 to p75.
load "gp/common.gp"
load f("fork-sweep.gp")
set title "A ready VM and one request against the warmed memory W (1 page read and written)\n".subtitle
set xlabel "warmed memory W"
set ylabel "median time per ready VM and request (us)"
set logscale xy
set xtics ("64 KiB" 64, "256 KiB" 256, "1 MiB" 1024, "4 MiB" 4096, "16 MiB" 16384, "64 MiB" 65536)
set xrange [48:90000]
set key top left
plot for [i=1:4] f("fork-warm.dat") index (i-1) using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 \
	lc rgb method_color[i] title method_title[i]

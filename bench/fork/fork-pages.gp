# Every method against the pages P each request reads and writes (16 MiB
# warmed): median time per ready VM and request, bars p25 to p75.
load "gp/common.gp"
load f("fork-sweep.gp")
set title "A ready VM and one request against the pages it writes (16 MiB warmed)\n".subtitle
set xlabel "pages read and written per request, P"
set ylabel "median time per ready VM and request (us)"
set logscale xy
set xrange [0.7:6000]
set key top left
plot for [i=1:4] f("fork-pages.dat") index (i-1) using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.8 \
	lc rgb method_color[i] title method_title[i]

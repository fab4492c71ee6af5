# Live forks against live VMs of the seed's kind (the fixed cost): the
# cumulative time to make them, and what each costs in memory.
load "gp/common.gp"
load f("fork-live.gp")
set multiplot layout 1,2 title "Live forks of a warmed snapshot against live hello VMs\n".subtitle
set title "cumulative time to make them (create and first run)"
set xlabel "live VMs"
set ylabel "cumulative time (s)"
set xrange [0:*]
set yrange [0:*]
set key top left
plot f("fork-live.dat") index 0 using 1:2 with linespoints pt 7 lw 2 lc rgb method_color[1] \
		title "hello VMs (the fixed cost)", \
	f("fork-live.dat") index 1 using 1:2 with linespoints pt 7 lw 2 lc rgb method_color[3] \
		title "forks, one request each"
set title "memory per live VM: each reading's growth over the VMs"
set xlabel ""
set ylabel "KiB per VM"
unset logscale
set autoscale x
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key top right autotitle columnhead
set xtics rotate by -30
set yrange [0:*]
plot f("fork-memory.dat") using 2:xtic(1) lc rgb method_color[1], \
	"" using 3 lc rgb method_color[3]
unset multiplot

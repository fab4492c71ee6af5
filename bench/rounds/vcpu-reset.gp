# What each vCPU reset level costs, and what its probe found left behind:
# the vCPU reset alone (a box per level, its probe's finding in the legend)
# and the whole guest round (grey), memory not reset, median with p25-p75
# bars, per level of kvmbench-rounds --reset all.  The levels and their
# probes' findings come from the view.
load "gp/common.gp"
load f("vcpu-reset.gp")
set title "Putting the vCPU back between two runs: cost per level\n".subtitle
set ylabel "time (us, log scale)"
set logscale y
set yrange [0.1:*]
set xrange [0.4:vcpu_n + 0.6]
set xtics () nomirror
do for [i=1:vcpu_n] {
	set xtics add (vcpu_name[i] i)
}
set style fill solid 0.7 border -1
set boxwidth 0.35
set key top left box opaque
plot for [i=1:vcpu_n] f("vcpu-reset.dat") every ::(i-1)::(i-1) using ($1 - 0.18):2 \
		with boxes lc i title vcpu_name[i].", the vCPU reset alone: ".vcpu_leaks[i], \
	f("vcpu-reset.dat") using ($1 - 0.18):2:3:4 with yerrorbars lc rgb "black" pt -1 notitle, \
	f("vcpu-reset.dat") using ($1 + 0.18):5 with boxes lc rgb "#cccccc" \
		title "the whole guest round (reset + run), any level", \
	f("vcpu-reset.dat") using ($1 + 0.18):5:6:7 with yerrorbars lc rgb "black" pt -1 notitle

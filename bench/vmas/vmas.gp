# A single-use VM against the VMAs of the process that creates it: the median of KVM_CREATE_VM, of the first KVM_RUN and of the whole
# hello VM at each point (bars p25 to p75), with the least-squares line of
# KVM_CREATE_VM's medians; the slope fitted run by run in the title.
load "gp/common.gp"
load f("vmas.gp")
set title "A single-use VM against the VMAs of the process that creates it\n".subtitle. \
	(strlen(slopes) ? "\n".slopes : "")
set xlabel "VMAs in the creating process (beyond its own)"
set ylabel "median time (us)"
set xrange [0:*]
set yrange [0:*]
set key top left
line(x) = fit_intercept + fit_slope * x
plot f("vmas.dat") using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb "#1f77b4" title "KVM_CREATE_VM", \
	(fitted ? line(x) : 1/0) with lines dt 2 lc rgb "#1f77b4" \
		title (fitted ? sprintf("least squares of the medians: %.4f us more per one more", fit_slope) : ""), \
	f("vmas.dat") using 1:5:6:7 with yerrorlines lw 2 pt 7 lc rgb "#2ca02c" title "the first KVM_RUN", \
	f("vmas.dat") using 1:8:9:10 with yerrorlines lw 2 pt 7 lc rgb "#888888" title "the whole hello VM: create, run, close"

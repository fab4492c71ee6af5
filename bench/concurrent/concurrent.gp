# Creation time per VM as the number of live VMs grows, with batch means.
load "gp/common.gp"
load f("concurrent.gp")
set title "Creating a VM while the earlier ones stay alive\n".subtitle
set xlabel "live VMs before this one"
set ylabel "create + run hello (us)"
set yrange [0:*]
plot f("concurrent.dat") using 1:2 with points pt 7 ps 0.3 lc rgb "#9ecae1" title "each VM", \
	f("concurrent-batches.dat") using (($2 + $3) / 2):4 with linespoints pt 7 lw 2 \
		lc rgb "#1f77b4" title "mean of each batch", \
	(have_ref ? r("concurrent-batches.dat") : 1/0) using (($2 + $3) / 2):4 \
		with linespoints pt 5 lc rgb "#d62728" title "published (2021) batch means"

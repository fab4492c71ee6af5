# Single-use cost per VM (create, run hello, close), shared against
# individual memory, as distributions (CDF); the seed's published means as
# vertical lines.
load "gp/common.gp"
chart = "single"
load "gp/reference.gp"
load f("single.gp")
set title "Single-use cost per VM: create, run hello, close\n".subtitle
set xlabel "time per VM (us)"
set ylabel "fraction of VMs at or below"
set yrange [0:1]
set key bottom right
set logscale x
plot for [i=1:lines] f(line_file[i]) using 1:2 with lines lw 2 lc rgb line_color[i] \
		title line_title[i], \
	(have_ref ? 1/0 : 1/0) with lines dt 2 lw 2 lc rgb "#444444" \
		title (have_ref ? ref_means : "")

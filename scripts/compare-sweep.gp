# The reset sweep of every run compared: median time per guest round per
# strategy, coloured by strategy, a dash pattern per run (A solid).  The
# driver sets kind ("pages" or "size").
data = "r1"
load "gp/common.gp"
load "letters.gp"
view = "sweep.gp"
load "gp/runs.gp"
# Every run's strategies, in one list: run, block, name, colour.
array line_run[8 * 16]
array line_block[8 * 16]
array line_name[8 * 16]
array line_color[8 * 16]
lines = 0
do for [i=1:runs] {
	load sprintf("r%d/sweep.gp", i)
	do for [j=1:sweep_n] {
		lines = lines + 1
		line_run[lines] = i
		line_block[lines] = j - 1
		line_name[lines] = sweep_name[j]
		line_color[lines] = sweep_color[j]
	}
}
set title sprintf("Reset sweep: time per guest round against %s\n%s", \
	kind eq "pages" ? "dirtied pages of 1 MiB" : "write-enabled memory (KiB), 1 dirtied page", \
	runs_title)
set xlabel kind eq "pages" ? "heap pages the guest writes per run" : "write-enabled memory per VM (KiB)"
set ylabel "median time per guest round (us)"
set logscale xy
plot for [l=1:lines] sprintf("r%d/sweep-%s.dat", line_run[l], kind) index line_block[l] \
	using 1:2 with linespoints lw 2 dt line_run[l] pt 7 ps 0.6 lc rgb line_color[l] \
	title letter[line_run[l]].": ".line_name[l]

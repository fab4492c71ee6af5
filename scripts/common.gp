# Shared by every chart.  The drivers (scripts/plot, scripts/compare) run
# gnuplot in a working directory of their own that holds gp/ (these
# scripts) and the data files kvmbench-report --data wrote: data/ (the run),
# ref/ (the seed's published figures, when have_ref is 1), or a/ and b/
# (two runs compared).  They set only fmt ("png" or "svg"), have_ref and,
# for a sweep, kind ("pages" or "size"); the chart goes to out.<fmt>.
# No path, name or text from a result file is ever part of a command: text
# reaches gnuplot only as the single-quoted literals of the .gp files that
# kvmbench-report writes (esc_gnuplot).  A chart loads its view,
# <chart>.gp (report/charts.c): machine, subtitle, and the lines to draw
# with their titles and colours; it names no series and no result file.
if (!exists("data")) { data = "data" }
ref = "ref"
if (!exists("have_ref")) { have_ref = 0 }
if (fmt eq "svg") {
	set terminal svg size 1000,620 dynamic font "sans,12" background "white"
	set output "out.svg"
} else {
	set terminal pngcairo size 1000,620 font "sans,10" background "white"
	set output "out.png"
}
# Plain text: machine names hold underscores (kvm_pvm), not subscripts.
set termoption noenhanced
set grid lc rgb "#dddddd"
set key top left box opaque
set border lc rgb "#444444"
f(name) = data."/".name
r(name) = ref."/".name

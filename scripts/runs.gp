# The runs of a comparison: run_name_of[i], machine_of[i] (from each run's
# own .gp files), run_color[i], and runs_title, a line per run for a
# chart's title.  Needs runs and letter[] (letters.gp) first; a run's
# machine comes from its meta.gp, or from the view the chart loads.
array run_color[8] = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", \
	"#e377c2", "#17becf"]
array run_name_of[runs]
array machine_of[runs]
runs_title = ""
do for [i=1:runs] {
	load sprintf("r%d/run--name.gp", i)
	run_name_of[i] = run_name
	machine = "?"
	if (exists("view")) { load sprintf("r%d/%s", i, view) } else { load sprintf("r%d/meta.gp", i) }
	machine_of[i] = machine
	runs_title = runs_title.(i > 1 ? "\n" : "").letter[i].": ".run_name.", ".machine
}

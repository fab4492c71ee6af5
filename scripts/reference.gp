# The seed's published means of a CDF chart's lines, as dashed vertical
# lines: ref_means (their legend) and the x range start below the first.
# The chart sets chart (its view's name) first; loaded before the run's
# view, whose names it would otherwise take.
if (have_ref) {
	load r(chart.".gp")
	ref_means = "published (2021) ".means
	do for [i=1:lines] {
		set arrow i from line_mean[i], graph 0 to line_mean[i], graph 1 nohead dt 2 lw 2 \
			lc rgb line_color[i]
	}
	set xrange [line_mean[1] * 0.7:*]
}

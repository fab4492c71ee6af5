# Shared by every chart.  The driver (scripts/plot) sets:
#   gp    the directory of these scripts
#   data  directory of the run's data files (kvmbench-report --data)
#   ref   directory of the seed's published figures as data, or ""
#   out   output file without extension;  fmt  "png" or "svg"
if (fmt eq "svg") {
	set terminal svg size 1000,620 dynamic font "sans,12" background "white"
	set output out.".svg"
} else {
	set terminal pngcairo size 1000,620 font "sans,10" background "white"
	set output out.".png"
}
have_ref = strlen(ref) > 0
# Plain text: machine names hold underscores (kvm_pvm), not subscripts.
set termoption noenhanced
set grid lc rgb "#dddddd"
set key top left box opaque
set border lc rgb "#444444"
f(name) = data."/".name
r(name) = ref."/".name
status(incomplete) = incomplete ? " - INCOMPLETE RUN (interrupted or failed)" : ""

# What a live VM costs in memory: growth per VM of the process's resident
# memory and of the kernel's, for both kinds of guest memory.
load "gp/common.gp"
load f("memory.gp")
set title sprintf("Memory per live VM, growth over %d live VMs of each kind (the seed published no figure)\n%s", \
	live_vms, subtitle)
set ylabel "KiB per live VM"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:*]
set key top right
plot f("memory.dat") using 2:xtic(1) lc rgb "#1f77b4" title "shared memory", \
	'' using 3 lc rgb "#ff7f0e" title "individual memory"

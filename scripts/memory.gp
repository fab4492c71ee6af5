# What a live VM costs in memory: growth per VM of the process's resident
# memory and of the kernel's, for both kinds of guest memory.
load "gp/common.gp"
load f("memory--meta.gp")
load f("memory--per-vm.gp")
threads = pthreads_known ? \
	sprintf("threads started by the kernel: %d kthreads, %d in the process (shared); %d and %d (individual)", \
		kthreads_shared, pthreads_shared, kthreads_individual, pthreads_individual) : \
	sprintf("kernel threads started: %d shared, %d individual (threads inside the process not recorded)", \
		kthreads_shared, kthreads_individual)
set title sprintf("Memory per live VM, growth over %d live VMs of each kind (the seed published no figure)\n%s\n%s%s", \
	live_vms, machine, threads, status(incomplete))
set ylabel "KiB per live VM"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:*]
set key top right
plot f("memory--per-vm.dat") using 2:xtic(1) lc rgb "#1f77b4" title "shared memory", \
	'' using 3 lc rgb "#ff7f0e" title "individual memory"

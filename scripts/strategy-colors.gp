# One colour and one legend text per reset strategy, the same in every chart.
strategy_color(s) = s eq "none" ? "#888888" : s eq "full" ? "#1f77b4" : \
	s eq "madvise" ? "#ff7f0e" : s eq "cow" ? "#2ca02c" : s eq "dirty-log" ? "#d62728" : \
	s eq "dirty-ring" ? "#9467bd" : s eq "pte-dirty" ? "#8c564b" : \
	s eq "soft-dirty" ? "#e377c2" : "#000000"
strategy_title(s) = s eq "none" ? "none (registers only: does not isolate)" : \
	s eq "full" ? "full (copy the whole image back)" : \
	s eq "madvise" ? "madvise (MADV_DONTNEED on a private memfd mapping)" : \
	s eq "cow" ? "cow (a fresh private mapping, in place)" : \
	s eq "dirty-log" ? "dirty-log (KVM_GET_DIRTY_LOG, copy back the pages written)" : \
	s eq "dirty-ring" ? "dirty-ring (the vCPU's dirty ring, likewise)" : \
	s eq "pte-dirty" ? "pte-dirty (the guest page tables' Dirty bits)" : \
	s eq "soft-dirty" ? "soft-dirty (/proc/self/pagemap)" : s

// jemalloc's options for the programs that run the engine (rtfeat and the
// benches link this file, so engine/baseline ratios compare code, not mallocs).
// jemalloc reads this symbol at start-up; MALLOC_CONF in the environment still
// overrides it.
//
// thp:always backs jemalloc's memory with transparent huge pages (the kernel's
// "madvise" mode, Debian's default): one page fault and one TLB entry per 2 MiB,
// not per 4 KiB. On the VMs this project runs on, a page fault costs up to ~15 us,
// so building state (a restore, the first checkpoint) was mostly faulting:
// bench_checkpoint --users 300000 took 19.0 s of CPU and 743 k faults without
// it, 8.3 s and 39 k with it (restore 1354 -> 499 ms). An older box showed the
// opposite (docs/performance.md, "Session 14: a new machine kind, huge pages"):
// measure before changing it.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's documented hook
const char* malloc_conf = "thp:always,metadata_thp:always";
}

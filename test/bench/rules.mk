# test/bench/ - the allocator benchmark: lib/heap.c built for the host at
# -O2 without sanitizers, linked as its own object (no cross-file inlining,
# as glibc's malloc gets none), against glibc malloc. `make bench` runs it.
BENCH_ALLOC_CFLAGS := -std=gnu11 -O2 -I. -Wall -Wextra -Werror

$(BUILD)/bench/bench_alloc: test/bench/bench_alloc.c lib/heap.c lib/heap.h
	@mkdir -p $(@D)
	$(HOSTCC) $(BENCH_ALLOC_CFLAGS) -o $@ test/bench/bench_alloc.c lib/heap.c

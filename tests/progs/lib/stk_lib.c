// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * stk_lib.so: loaded by stk_dlopen after its first wait. lib_wait sleeps
 * through a helper of its own, so that a frame-pointer walk (glibc's
 * usleep keeps none) still passes through this library: lib_wait's frame.
 */
#include <unistd.h>

__attribute__((noinline)) static void nap(void)
{
	usleep(2000);
	__asm__ volatile("" ::: "memory");	/* a call, not a tail jump */
}

void lib_wait(int n)
{
	for (int i = 0; i < n; i++)
		nap();
}

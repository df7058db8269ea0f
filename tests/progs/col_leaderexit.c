// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_leaderexit: the main thread ends (pthread_exit) while another runs
 * on, as some daemons do. /proc/PID/stat then says Z, a zombie's state,
 * of a process that is still running.
 */
#include <pthread.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, sleeper, NULL))
		return 1;
	pthread_exit(NULL);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/* A deliberate data race: two threads bump a plain counter.  run-stress.sh
 * runs it first and requires TSan's report and exit status 66, so a run
 * where ThreadSanitizer is not working (not linked, wrong options, a
 * runtime that cannot start in the VM) fails instead of passing clean. */
#include <pthread.h>
#include <stdio.h>

static unsigned long counter;

static void *bump(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++)
		counter++;
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	if (pthread_create(&a, NULL, bump, NULL) || pthread_create(&b, NULL, bump, NULL))
		return 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("canary: counter %lu\n", counter);
	return 0;
}

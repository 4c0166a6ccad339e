/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "ipsecgw_build.h"

int main(void)
{
	printf("ipsecgw %s\n", IPSECGW_VERSION);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Number-to-name tables: known names, the unknown forms, the registry numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ike/ike_names.h"
#include "ike/ikev2_wire.h"

struct row {
	const char *(*fn)(unsigned, char *);
	unsigned v;
	const char *want;
};

static const struct row rows[] = {
	{ike_exchange_name, 34, "IKE_SA_INIT"},
	{ike_exchange_name, 35, "IKE_AUTH"},
	{ike_exchange_name, 36, "CREATE_CHILD_SA"},
	{ike_exchange_name, 37, "INFORMATIONAL"},
	{ike_exchange_name, 99, "UNKNOWN_EXCHANGE(99)"},
	{ike_payload_name, 0, "NONE"},
	{ike_payload_name, 33, "SA"},
	{ike_payload_name, 35, "IDi"},
	{ike_payload_name, 41, "N"},
	{ike_payload_name, 46, "SK"},
	{ike_payload_name, 53, "SKF"},
	{ike_payload_name, 200, "UNKNOWN_PAYLOAD(200)"},
	{ike_notify_name, 1, "UNSUPPORTED_CRITICAL_PAYLOAD"},
	{ike_notify_name, 7, "INVALID_SYNTAX"},
	{ike_notify_name, 14, "NO_PROPOSAL_CHOSEN"},
	{ike_notify_name, 17, "INVALID_KE_PAYLOAD"},
	{ike_notify_name, 24, "AUTHENTICATION_FAILED"},
	{ike_notify_name, 38, "TS_UNACCEPTABLE"},
	{ike_notify_name, 44, "CHILD_SA_NOT_FOUND"},
	{ike_notify_name, 16384, "INITIAL_CONTACT"},
	{ike_notify_name, 16388, "NAT_DETECTION_SOURCE_IP"},
	{ike_notify_name, 16390, "COOKIE"},
	{ike_notify_name, 16393, "REKEY_SA"},
	{ike_notify_name, 16404, "MULTIPLE_AUTH_SUPPORTED"},
	{ike_notify_name, 16430, "IKEV2_FRAGMENTATION_SUPPORTED"},
	{ike_notify_name, 16431, "SIGNATURE_HASH_ALGORITHMS"},
	{ike_notify_name, 12345, "UNKNOWN_NOTIFY(12345)"},
	{ike_id_type_name, 1, "IPV4_ADDR"},
	{ike_id_type_name, 2, "FQDN"},
	{ike_id_type_name, 11, "KEY_ID"},
	{ike_id_type_name, 4, "UNKNOWN_ID_TYPE(4)"},
	{ike_xform_type_name, 1, "ENCR"},
	{ike_xform_type_name, 4, "DH"},
	{ike_xform_type_name, 65535, "UNKNOWN_TRANSFORM_TYPE(65535)"},
	{ike_protocol_name, 1, "IKE"},
	{ike_protocol_name, 3, "ESP"},
	{ike_auth_method_name, 2, "SHARED_KEY"},
	{ike_auth_method_name, 14, "DIGITAL_SIGNATURE"},
	{ike_ts_type_name, 7, "TS_IPV4_ADDR_RANGE"},
	{ike_cfg_attr_name, 1, "INTERNAL_IP4_ADDRESS"},
};

static void test_names(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char buf[IKE_NAME_LEN];
		const char *got = rows[i].fn(rows[i].v, buf);

		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%u: got %s, want %s", rows[i].v, got, rows[i].want);
	}
}

/* Without a buffer an unknown number still gets a (constant) name. */
static void test_no_buffer(void **state)
{
	assert_string_equal(ike_notify_name(12345, NULL), "UNKNOWN_NOTIFY");
	assert_string_equal(ike_notify_name(14, NULL), "NO_PROPOSAL_CHOSEN");
	assert_string_equal(ike_exchange_name(1, NULL), "UNKNOWN_EXCHANGE");
}

/* The enum values are the IANA numbers the brief and RFC 7296 list. */
static void test_registry_numbers(void **state)
{
	assert_int_equal(IKEV2_N_INVALID_IKE_SPI, 4);
	assert_int_equal(IKEV2_N_INVALID_MAJOR_VERSION, 5);
	assert_int_equal(IKEV2_N_INVALID_MESSAGE_ID, 9);
	assert_int_equal(IKEV2_N_INVALID_SPI, 11);
	assert_int_equal(IKEV2_N_SINGLE_PAIR_REQUIRED, 34);
	assert_int_equal(IKEV2_N_NO_ADDITIONAL_SAS, 35);
	assert_int_equal(IKEV2_N_INTERNAL_ADDRESS_FAILURE, 36);
	assert_int_equal(IKEV2_N_FAILED_CP_REQUIRED, 37);
	assert_int_equal(IKEV2_N_INVALID_SELECTORS, 39);
	assert_int_equal(IKEV2_N_TEMPORARY_FAILURE, 43);
	assert_int_equal(IKEV2_N_NAT_DETECTION_DESTINATION_IP, 16389);
	assert_int_equal(IKEV2_N_USE_TRANSPORT_MODE, 16391);
	assert_int_equal(IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, 16394);
	assert_int_equal(IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, 16395);
	assert_int_equal(IKEV2_N_MOBIKE_SUPPORTED, 16396);
	assert_int_equal(IKEV2_N_REDIRECT_SUPPORTED, 16406);
	assert_int_equal(IKEV2_PL_SKF, 53);
	assert_int_equal(IKEV2_ID_RFC822_ADDR, 3);
	assert_int_equal(IKEV2_ID_IPV6_ADDR, 5);
	assert_int_equal(IKEV2_AUTH_SHARED_KEY, 2);
	assert_int_equal(IKEV2_TS_IPV6_ADDR_RANGE, 8);
	assert_int_equal(IKEV2_ATTR_KEY_LENGTH, 14);
	assert_true(ike_notify_known(16388));
	assert_false(ike_notify_known(16429));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_no_buffer),
		cmocka_unit_test(test_registry_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

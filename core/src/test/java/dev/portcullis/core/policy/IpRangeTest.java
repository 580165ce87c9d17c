package dev.portcullis.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "0.0.0.0/0, 198.51.100.1, true",
        "203.0.113.0/25, 203.0.113.127, true",
        "203.0.113.0/25, 203.0.113.128, false",
        "2001:db8::/32, 2001:0db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::/0, ::1, true",
        "::1, ::1, true",
        "::1/128, 0:0:0:0:0:0:0:1, true",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "2001:db8::/32, 10.0.0.1, false",
        "fe80::/10, FE80::1:2:3:4, true",
        "10.0.0.0/8, not-an-ip, false",
        "10.0.0.0/8, 10.0.0, false"
    })
    void matchesAddressesAgainstCidrBlocks(String cidr, String address, boolean expected) {
        assertThat(IpRange.parse(cidr).contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "256.0.0.1", "10.0.0.0/", "10.0.0.0/-1", "1:::2", "12345::", "1:2:3:4:5:6:7:8:9",
        "::/129", "example.com", "10.0.0.01.1", "1::2::3", "::ffff:300.1.1.1"})
    void rejectsMalformedBlocks(String cidr) {
        assertThat(IpRange.parse(cidr)).isNull();
    }
}

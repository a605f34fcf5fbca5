"""The scrubber: whole secrets out of every line, ordinary words left alone (issue 15, item 3)."""

from __future__ import annotations

import logging

from trondocs.collectors.base import CollectContext
from trondocs.credentials import Scrubber, ScrubbingFilter, has_userinfo, is_env_name, scrubbing_logs


def test_a_short_password_is_masked_as_a_token_never_inside_a_word():
    ctx = CollectContext(env={"PW": "pass"})
    assert ctx.secret("PW", "password") == "pass"
    assert ctx.scrub("wrong password for pass (pass: refused), passing 'pass'") == \
        "wrong password for *** (***: refused), passing '***'"


def test_a_long_secret_is_masked_anywhere_and_url_encoded_too():
    scrubber = Scrubber()
    scrubber.remember("s3cr3t/value+x")
    text = "a s3cr3t/value+xyz b s3cr3t%2Fvalue%2Bx c s3cr3t%2Fvalue%2Bx"
    assert scrubber.scrub(text) == "a ***yz b *** c ***"


def test_log_records_lose_authorization_headers_and_sts_credentials():
    scrubber = Scrubber()
    records = [
        "Sending http request: <AWSPreparedRequest headers={'X-Amz-Date': b'20261202T000000Z', "
        "'X-Amz-Security-Token': b'FQoGZXIvYXdzEBYaDabc+/=', 'Authorization': b'AWS4-HMAC-SHA256 "
        "Credential=ASIAX/20261202/eu-central-1/sts/aws4_request, Signature=0af3'}>",
        "Response body:\nb'<AssumeRoleResponse><AssumeRoleResult><Credentials>"
        "<AccessKeyId>ASIAX</AccessKeyId>"
        "<SecretAccessKey>wJalr/K7MDENG</SecretAccessKey><SessionToken>FQoGZXIvYXdzEBYaDabc</SessionToken>"
        "</Credentials></AssumeRoleResult></AssumeRoleResponse>'",
        '{"Credentials": {"SecretAccessKey": "wJalr/K7MDENG", "SessionToken": "FQoGZXIvYXdzEBYaDabc"}}',
        "GET /x?X-Amz-Security-Token=FQoGZXIvYXdzEBYaDabc&X-Amz-Signature=0af3 HTTP/1.1",
        "Authorization: Bearer eyJhbGciOi.payload.sig",
    ]
    for text in records:
        record = logging.LogRecord("botocore.endpoint", logging.DEBUG, __file__, 1, "%s", (text,), None)
        ScrubbingFilter(scrubber).filter(record)
        out = record.getMessage()
        for secret in ("FQoGZXIvYXdzEBYaDabc", "wJalr/K7MDENG", "0af3", "eyJhbGciOi"):
            assert secret not in out, out
        assert "***" in out


def test_ordinary_log_lines_are_kept_as_they_are():
    scrubber = Scrubber()
    scrubber.remember("pass")
    for text in ("vSphere password is not set: export TRONDOCS_VSPHERE_PASSWORD=…",
                 "check the user name and password in the configured environment variables",
                 "token refresh refused (HTTP 401); logging in again"):
        assert scrubber.scrub_log(text) == text


def test_records_of_every_logger_are_scrubbed_while_collecting(capfd):
    scrubber = Scrubber()
    scrubber.remember("TopSecretValue")
    handler = logging.StreamHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with scrubbing_logs(scrubber):
            logging.getLogger("urllib3.connectionpool").warning("GET /?k=%s", "TopSecretValue")
            try:
                raise ValueError("TopSecretValue")
            except ValueError:
                logging.getLogger("trondocs.collect").error("failed", exc_info=True)
    finally:
        root.removeHandler(handler)
    err = capfd.readouterr().err
    assert "TopSecretValue" not in err and "GET /?k=***" in err and "ValueError: ***" in err


def test_what_counts_as_user_info_and_as_a_variable_name():
    assert has_userinfo("https://admin:pw@vbr:9419") and has_userinfo("see http://u@h/")
    assert not has_userinfo("https://vbr:9419/api?mail=a@b") and not has_userinfo("ops@example.org")
    assert is_env_name("TRONDOCS_VEEAM_PASSWORD") and is_env_name("_x1")
    assert not is_env_name("hunter2!") and not is_env_name("1ABC") and not is_env_name(["X"])

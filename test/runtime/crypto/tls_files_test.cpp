// The start-up check of the cluster.tls files: what caf_openssl would fail on
// mid-run, and what it never checks (a certificate from another CA, or one not
// usable in both directions), is an error naming the key and the file.
#include <doctest/doctest.h>

#include "runtime/crypto/tls_files.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/test_certs.hpp"

using namespace rtfeat;
using rtfeat::test::cert_options;
using rtfeat::test::test_cert;
using rtfeat::test::test_key;

namespace {

/// A CA, a node key and a certificate for it signed by that CA, in a temp dir.
struct pki {
  rtfeat::test::temp_dir dir;
  test_key ca_key, node_key;
  test_cert ca{"rtfeat test CA", ca_key, nullptr, ca_key, {.is_ca = true, .extended_key_usage = nullptr}};
  tls_files files{path("n1.pem"), path("n1.key"), path("ca.pem")};

  pki() {
    ca.write(files.ca_file);
    test_cert("n1", node_key, &ca, ca_key).write(files.certificate);
    rtfeat::test::write_key(node_key, files.key);
  }
  std::string path(const std::string& name) const { return dir.path() + "/" + name; }
};

}  // namespace

TEST_SUITE("runtime.crypto.tls_files") {
  TEST_CASE("a certificate signed by the CA, with its own key, passes") {
    pki p;
    CHECK(check_tls_files(p.files, "") == "");
  }
  TEST_CASE("a missing file names its key and its path") {
    pki p;
    auto f = p.files;
    f.key = p.path("nope.key");
    CHECK(check_tls_files(f, "") == "cluster.tls.key: cannot read '" + f.key + "': No such file or directory");
    f = p.files;
    f.ca_file = p.path("nope.pem");
    CHECK(check_tls_files(f, "").starts_with("cluster.tls.ca_file: cannot read '" + f.ca_file + "'"));
  }
  TEST_CASE("files that are not PEM are refused naming the key") {
    pki p;
    rtfeat::test::spit(p.path("junk"), "not a certificate\n");
    auto f = p.files;
    f.certificate = p.path("junk");
    CHECK(check_tls_files(f, "").starts_with("cluster.tls.certificate: cannot use '" + f.certificate + "' ("));
    f = p.files;
    f.key = p.path("junk");
    CHECK(check_tls_files(f, "").starts_with("cluster.tls.key: '" + f.key + "' is not a PEM private key ("));
    f = p.files;
    f.ca_file = p.path("junk");
    CHECK(check_tls_files(f, "").starts_with("cluster.tls.ca_file: no CA certificate in '" + f.ca_file + "'"));
  }
  TEST_CASE("the key of another certificate is refused") {
    pki p;
    test_key other;
    rtfeat::test::write_key(other, p.files.key);
    CHECK(check_tls_files(p.files, "")
          == "cluster.tls.key: '" + p.files.key + "' is not the key of cluster.tls.certificate '"
               + p.files.certificate + "'");
  }
  TEST_CASE("an encrypted key needs its passphrase, and the right one") {
    pki p;
    rtfeat::test::write_key(p.node_key, p.files.key, "s3cret");
    CHECK(check_tls_files(p.files, "")
          == "cluster.tls.key: '" + p.files.key + "' is encrypted: set RTFEAT_TLS_KEY_PASSPHRASE");
    CHECK(check_tls_files(p.files, "wrong").starts_with("cluster.tls.key: cannot decrypt '" + p.files.key
                                                          + "' with RTFEAT_TLS_KEY_PASSPHRASE ("));
    CHECK(check_tls_files(p.files, "s3cret") == "");
  }
  TEST_CASE("a certificate signed by another CA is refused: every peer would refuse it") {
    pki p;
    test_key rogue_ca_key;
    test_cert rogue_ca{"another CA", rogue_ca_key, nullptr, rogue_ca_key, {.is_ca = true}};
    test_cert("n1", p.node_key, &rogue_ca, rogue_ca_key).write(p.files.certificate);
    CHECK(check_tls_files(p.files, "")
          == "cluster.tls.certificate: '" + p.files.certificate + "' does not verify against cluster.tls.ca_file '"
               + p.files.ca_file + "': unable to get local issuer certificate (every peer would refuse this node)");
  }
  TEST_CASE("an expired certificate is refused") {
    pki p;
    test_cert("n1", p.node_key, &p.ca, p.ca_key, {.valid_from_s = -7200, .valid_to_s = -3600})
      .write(p.files.certificate);
    CHECK(check_tls_files(p.files, "").ends_with(": certificate has expired (every peer would refuse this node)"));
  }
  TEST_CASE("a certificate only for servers is refused: every node also opens connections") {
    pki p;
    test_cert("n1", p.node_key, &p.ca, p.ca_key, {.extended_key_usage = "serverAuth"}).write(p.files.certificate);
    CHECK(check_tls_files(p.files, "").ends_with("is not valid for opening TLS connections: a node both accepts "
                                                 "and opens them, so its extendedKeyUsage must include clientAuth "
                                                 "and serverAuth (or be absent)"));
    test_cert("n1", p.node_key, &p.ca, p.ca_key, {.extended_key_usage = nullptr}).write(p.files.certificate);
    CHECK(check_tls_files(p.files, "") == "");
  }
}

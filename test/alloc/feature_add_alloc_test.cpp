// Counts heap allocations on the per-event path of every feature state of the
// default catalogue: once entities, windows and buffers are warm, adding more
// events of the same entities within the same slide buckets must allocate
// nothing. A separate executable because it replaces the global operator new.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "runtime/features/feature_plan.hpp"
#include "test/support/test_catalogue.hpp"

namespace {

std::atomic<uint64_t> allocations{0};

}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace rtfeat {
namespace {

constexpr int64_t t0 = 1767225600000;  // an hour boundary: every slide starts here
constexpr int64_t hour = 3600 * 1000;
constexpr behavior kinds[] = {behavior::view, behavior::click, behavior::cart, behavior::fav,
                              behavior::purchase, behavior::search};

/// Event `n` of a small fixed population: users, items, categories, a campaign.
event event_of(int n, int64_t ts) {
  event e;
  e.user_id = "u" + std::to_string(n % 50);
  e.kind = kinds[(n / 50) % 6];
  if (e.kind != behavior::search) e.item_id = "i" + std::to_string((n / 7) % 30);  // 30 items x 5 kinds > k = 100
  e.category_id = (n / 7) % 30 % 4;
  e.has_category = true;
  e.price = 10.0 * ((n / 3) % 60), e.has_price = true;
  if (e.kind == behavior::purchase) e.amount = 5.0 + n % 11, e.has_amount = true;
  e.campaign_id = "c1";
  e.region = "r1";
  e.ts = ts;
  return e;
}

/// The states of one shard kind with the shard's interners, fed as keyed_shard feeds them.
struct shard {
  scope_interners interners;
  std::vector<feature_scope> scopes;
  std::vector<std::unique_ptr<feature_state>> states;
  uint64_t seq = 0;

  shard(const feature_plan& plan, bool user) {
    states = make_feature_states(plan, user, scopes, nullptr, &interners);
  }
  void add(const event& e) {
    uint32_t mask = 0;
    for (auto s : scopes) mask |= scope_bit(s);
    scope_interners::ids ids;
    interners.intern(e, mask, ids);
    ++seq;
    for (size_t i = 0; i < states.size(); ++i)
      states[i]->add_to(ids[static_cast<size_t>(scopes[i])], e, no_watermark, seq);
    interners.release_unused(ids);
  }
  void flush() {
    std::vector<key_update> out;
    for (auto& s : states) s->flush(out);
  }
};

TEST_SUITE("alloc.feature_add") {
  TEST_CASE("the counting operator new sees allocations") {
    auto before = allocations.load();
    auto v = std::make_unique<std::vector<int>>(100);
    CHECK(allocations.load() > before);
  }

  TEST_CASE("adding events of warm entities within warm buckets allocates nothing") {
    auto plan = test::default_plan();
    shard user(plan, true), group(plan, false);
    auto feed = [&](int from, int count, int64_t ts) {
      for (int n = from; n < from + count; ++n) {
        auto e = event_of(n, ts + n % 1000);
        user.add(e);
        group.add(e);
      }
    };
    // First seen two hours earlier: the funnel keeps every step event of a
    // user's first hour (docs/semantics.md), which grows with the events.
    feed(0, 300, t0);
    feed(0, 30000, t0 + 2 * hour);  // every entity, member and bucket
    user.flush();
    group.flush();
    // Again, newer each time (members move, timelines drop their weakest), with
    // flushes between (dirty lists, written members): until every buffer has
    // reached its largest size (a timeline's storage peaks at 2 k entries).
    for (int round = 1; round <= 3; ++round) {
      feed(0, 30000, t0 + 2 * hour + round * 1000);
      user.flush();
      group.flush();
    }

    std::vector<event> steady;  // built before counting: events arrive parsed
    for (int n = 0; n < 30000; ++n) steady.push_back(event_of(n, t0 + 2 * hour + 4000 + n % 1000));
    auto before = allocations.load();
    for (const auto& e : steady) {
      user.add(e);
      group.add(e);
    }
    CHECK(allocations.load() - before == 0);
  }
}

}  // namespace
}  // namespace rtfeat

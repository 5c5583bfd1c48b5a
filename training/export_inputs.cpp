// export_inputs: each lookup of serve's vector_inputs answered from the
// point-in-time values, with the same "absent" rules as the server's replies.
#include "training/export_inputs.hpp"

#include <variant>

#include "oracle/feature_events.hpp"
#include "oracle/hll_count.hpp"

namespace rtfeat::training {

export_inputs::export_inputs(const model_config& model, oracle::point_in_time& values,
                             const label_file& labels, const offline_rows* users,
                             const offline_rows* items)
    : model_(model), values_(values), labels_(labels), users_(users), items_(items) {
  for (const auto& in : model_.inputs)
    if (!in.key.empty() && !keys_.contains(in.key)) keys_.emplace(in.key, oracle::compile_template(in.key));
}

const std::string& export_inputs::id(model_entity e) const {
  return row_->cells[e == model_entity::user ? labels_.user_column : labels_.item_column];
}

const oracle::expected_value* export_inputs::find(model_entity e, std::string_view feature,
                                                  std::string_view key_template,
                                                  std::string_view field) const {
  auto t = keys_.find(key_template);
  if (t == keys_.end()) return nullptr;
  const std::string& who = id(e);
  key_.clear();
  t->second.render(key_, [&](const std::string&) { return who; });  // its one variable is the id
  const auto& state = values_.values(feature, e, who);
  if (auto u = state.undefined_fields.find(key_); u != state.undefined_fields.end()) {
    if (u->second.contains(std::string(field))) return ++undefined_, nullptr;
  }
  auto v = state.keys.find(key_);
  return v == state.keys.end() ? nullptr : &v->second;
}

std::optional<double> export_inputs::feature(const feature_ref& ref) const {
  const auto* v = find(ref.entity, ref.feature, ref.key, ref.field);
  if (v == nullptr) return std::nullopt;
  if (const auto* hash = std::get_if<oracle::field_map>(v)) {
    auto f = hash->find(std::string(ref.field));
    return f == hash->end() ? std::nullopt : parse_number(f->second);
  }
  if (const auto* s = std::get_if<oracle::string_value>(v)) return parse_number(s->text);
  if (const auto* h = std::get_if<oracle::hll_value>(v)) {
    uint64_t n = oracle::redis_pfcount(h->members);  // serve reads PFCOUNT: Redis's estimate
    return n > 0 ? std::optional<double>(static_cast<double>(n)) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<uint64_t> export_inputs::length(model_entity entity, std::string_view feature) const {
  for (const auto& in : model_.inputs) {
    if (in.kind != input_kind::length || in.entity != entity || in.feature != feature) continue;
    const auto* v = find(entity, feature, in.key, "");
    uint64_t n = 0;
    if (const auto* l = v ? std::get_if<oracle::list_value>(v) : nullptr) n = l->items.size();
    if (const auto* z = v ? std::get_if<oracle::zset_value>(v) : nullptr) n = z->scores.size();
    return n > 0 ? std::optional<uint64_t>(n) : std::nullopt;  // as LLEN/ZCARD of no key: absent
  }
  return std::nullopt;
}

std::optional<std::string_view> export_inputs::offline(model_entity entity,
                                                       std::string_view column) const {
  const offline_rows* table = entity == model_entity::user ? users_ : items_;
  if (table == nullptr) return std::nullopt;
  return table->cell(id(entity), column);
}

std::optional<double> export_inputs::context(std::string_view name) const {
  int at = find_column(labels_.columns, name);
  if (at < 0) return std::nullopt;
  return parse_number(row_->cells[static_cast<size_t>(at)]);
}

}  // namespace rtfeat::training

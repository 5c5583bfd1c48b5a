// Evaluation of model inputs against a vector_inputs lookup (see feature_vector.hpp).
#include "serve/model/feature_vector.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace rtfeat {

namespace {

struct outcome {
  std::optional<double> value;
  absent_reason reason = absent_reason::missing;
};

outcome offline_number(const vector_inputs& in, model_entity entity, std::string_view column) {
  auto cell = in.offline(entity, column);
  if (!cell) return {};
  auto v = parse_number(*cell);
  return {v, v ? absent_reason::missing : absent_reason::not_a_number};
}

outcome real_time(const model_input& m, const vector_inputs& in, std::string& field) {
  std::string_view index;
  if (m.index.from == input_index::from_kind::literal) index = m.index.text;
  if (m.index.from == input_index::from_kind::offline) {
    auto cell = in.offline(m.index.entity, m.index.text);
    if (!cell || cell->empty()) return {};  // no group to look in: the value is absent
    index = *cell;
  }
  field.clear();
  m.field.render(field,
                 [&](const std::string&) { return index; });  // its one variable is the index
  return {in.feature({m.entity, m.feature, m.sub, index, m.where, m.key, field})};
}

outcome evaluate(const model_input& m, const vector_inputs& in, std::string& field) {
  switch (m.kind) {
    case input_kind::feature:
      return real_time(m, in, field);
    case input_kind::length: {
      auto n = in.length(m.entity, m.feature);
      return {n ? std::optional<double>(static_cast<double>(*n)) : std::nullopt};
    }
    case input_kind::offline:
      return offline_number(in, m.entity, m.column);
    case input_kind::context:
      return {in.context(m.column)};
  }
  return {};
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

void fill_row(const model_config& cfg, const vector_inputs& inputs, std::span<float> row,
              std::vector<absent_input>& absent) {
  std::string field;  // reused for every rendered hash field of the row
  for (size_t i = 0; i < cfg.inputs.size(); ++i) {
    const auto& m = cfg.inputs[i];
    auto got = evaluate(m, inputs, field);
    if (got.value && !std::isfinite(*got.value)) got = {std::nullopt, absent_reason::not_a_number};
    if (!got.value) absent.push_back({static_cast<uint32_t>(i), got.reason});
    row[i] = static_cast<float>(got.value.value_or(m.default_value));
  }
}

}  // namespace rtfeat

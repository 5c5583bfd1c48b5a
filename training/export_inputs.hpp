// The model's inputs for one label row, as POST /v1/predict would have read
// them at the label's time: real-time values from the oracle's point-in-time
// evaluation instead of Redis replies, offline cells from the tables instead of
// `user:offline:{id}`, and context values from the label row's own columns.
// The vector itself is built by serve's fill_row, so both sides share it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/key_template.hpp"
#include "config/model_config.hpp"
#include "oracle/point_in_time.hpp"
#include "serve/model/feature_vector.hpp"
#include "training/label_file.hpp"
#include "training/offline_rows.hpp"

namespace rtfeat::training {

class export_inputs final : public vector_inputs {
public:
  /// `users`/`items` may be null (no table: every offline input is absent).
  /// REQUIRES: everything outlives this.
  export_inputs(const model_config& model, oracle::point_in_time& values, const label_file& labels,
                const offline_rows* users, const offline_rows* items);

  /// The row the next fill_row is for.
  void set_row(const label_row& row) { row_ = &row; }

  /// Values docs/semantics.md leaves undefined (an item ranked in several
  /// categories), read as absent.
  uint64_t undefined_values() const { return undefined_; }

  std::optional<double> feature(const feature_ref& ref) const override;
  std::optional<uint64_t> length(model_entity entity, std::string_view feature) const override;
  std::optional<std::string_view> offline(model_entity entity,
                                          std::string_view column) const override;
  std::optional<double> context(std::string_view name) const override;

private:
  const std::string& id(model_entity e) const;
  /// The expected value of `key_template` rendered for the entity, if the feature wrote it.
  const oracle::expected_value* find(model_entity e, std::string_view feature,
                                     std::string_view key_template, std::string_view field) const;

  const model_config& model_;
  oracle::point_in_time& values_;
  const label_file& labels_;
  const offline_rows* users_;
  const offline_rows* items_;
  const label_row* row_ = nullptr;
  std::map<std::string, key_template, std::less<>> keys_;  // the inputs' key templates
  mutable std::string key_;
  mutable uint64_t undefined_ = 0;
};

}  // namespace rtfeat::training

// Model inputs against the catalogue (see model_resolve.hpp). Every refusal says
// what would have been right, since the catalogue, not the model author, knows
// which values a feature has and how it is grouped.
#include "config/model_resolve.hpp"

#include <algorithm>
#include <cctype>

namespace rtfeat {

namespace {

/// A value of a feature addressed by name (`item.item_popularity.trend_score`).
struct named_value {
  std::string name;
  std::string key;
  std::string field;
};

bool is_fixed_field(const std::string& tmpl) { return tmpl.find("${") == std::string::npos; }

std::vector<named_value> named_values(const feature_def& f) {
  std::vector<named_value> out;
  const auto& o = f.output;
  if (f.aggregation == aggregation_kind::percentile_rank) {
    out.push_back({f.count_field, o.key, f.count_field});
    out.push_back({f.rank_field, o.key, f.rank_field});
  } else if (o.type == "hash" && is_fixed_field(o.field)) {
    out.push_back({o.field, o.key, o.field});
  }
  if (f.trend_previous_ms > 0) out.push_back({f.trend_field, o.key, f.trend_field});
  if (!f.tier_within.empty()) out.push_back({f.tier.field, f.tier.key, f.tier.field});
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool fail(std::string& error, std::string msg) {
  error = std::move(msg);
  return false;
}

const feature_def* find_feature(const feature_catalogue& c, const std::string& name) {
  for (const auto& f : c.features)
    if (f.name == name) return &f;
  return nullptr;
}

bool find_entity_feature(const parsed_source& src, const feature_catalogue& cat,
                         const feature_def*& out, std::string& error) {
  auto want = src.entity == model_entity::user ? entity_kind::user : entity_kind::item;
  out = find_feature(cat, src.name);
  if (out == nullptr) {
    std::vector<std::string> names;
    for (const auto& f : cat.features)
      if (f.entity == want) names.push_back(f.name);
    return fail(error, "unknown feature '" + src.name + "' (" + std::string(to_string(src.entity))
                         + " features: " + joined(names) + ")");
  }
  if (out->entity == want) return true;
  if (out->entity != entity_kind::user && out->entity != entity_kind::item)
    return fail(error, "'" + src.name + "' is a " + std::string(to_string(out->entity))
                         + " feature: model inputs read user and item features");
  auto right = std::string(to_string(out->entity)) + "." + src.name;
  return fail(error, "'" + src.name + "' is " + (out->entity == entity_kind::item ? "an" : "a")
                       + " " + std::string(to_string(out->entity)) + " feature: write " + right);
}

/// An example index for a message, fitting the variable.
std::string example_index(const feature_def& f, const std::string& var) {
  if (var == "band" && !f.bands.empty()) return "[\"" + f.bands.front().label + "\"]";
  if (var == "n") return "[1]";
  return "[item.offline." + var + "]";
}

bool check_literal(const feature_def& f, const std::string& var, const std::string& text,
                   std::string& error) {
  auto all_digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (var == "band") {
    std::vector<std::string> labels;
    for (const auto& b : f.bands) labels.push_back(b.label);
    if (std::find(labels.begin(), labels.end(), text) != labels.end()) return true;
    return fail(error, "unknown band '" + text + "' of " + f.name + " (" + joined(labels) + ")");
  }
  if (var == "n") {
    if (all_digits && text.size() < 10 && std::stoll(text) >= 1 && std::stoll(text) <= f.k)
      return true;
    return fail(error,
                "index '" + text + "' of " + f.name + ": expected 1.." + std::to_string(f.k));
  }
  if (var == "category_id" && !all_digits)
    return fail(error, "index '" + text + "' of " + f.name + ": category ids are integers");
  return true;
}

/// The main value's field, and its index when the field has a group variable.
bool resolve_field(const parsed_source& src, const feature_def& f, const std::string& tmpl,
                   model_input& in, std::string& error) {
  std::string why;
  if (!parse_key_template(tmpl, in.field, why)) return fail(error, f.name + ": " + why);
  auto vars = in.field.variables();
  bool has_index = src.index.from != input_index::from_kind::none;
  if (vars.empty()) {
    if (has_index) return fail(error, "'" + f.name + "' is not grouped: drop the [index]");
    return true;
  }
  const auto& var = vars.front();
  if (vars.size() > 1 || (var != f.group_by && var != "band" && var != "n"))
    return fail(error, "'" + f.name + "': field '" + tmpl + "' cannot be addressed by one index");
  in.index_var = var;
  if (!has_index)
    return fail(error, "'" + f.name + "' is grouped by " + var + ": give the group, e.g. "
                         + std::string(to_string(src.entity)) + "." + src.name
                         + example_index(f, var));
  if (src.index.from == input_index::from_kind::literal)
    return check_literal(f, var, src.index.text, error);
  return true;
}

bool resolve_feature(const parsed_source& src, const feature_def& f, model_input& in,
                     std::string& error) {
  const auto& type = f.output.type;
  auto entity = std::string(to_string(src.entity));
  if (type == "list" || type == "zset")
    return fail(error, "'" + f.name + "' is a sequence: use len(" + entity + "." + f.name + ")");
  in.key = f.output.key;
  if (!src.sub.empty()) {
    std::vector<std::string> names;
    for (const auto& v : named_values(f)) {
      if (v.name != src.sub) {
        names.push_back(v.name);
        continue;
      }
      in.key = v.key;
      return resolve_field(src, f, v.field, in, error);
    }
    if (names.empty())
      return fail(error, "'" + f.name + "' has no named values: write " + entity + "." + f.name);
    return fail(error, "unknown value '" + src.sub + "' of " + f.name + " (" + joined(names) + ")");
  }
  if (f.aggregation == aggregation_kind::percentile_rank)
    return fail(error, "'" + f.name + "' has several values: write " + entity + "." + f.name + "."
                         + f.count_field + " or ." + f.rank_field);
  if (type == "hash") return resolve_field(src, f, f.output.field, in, error);
  in.where = type == "string" ? redis_value::string : redis_value::hyperloglog;
  if (src.index.from != input_index::from_kind::none)
    return fail(error, "'" + f.name + "' is not grouped: drop the [index]");
  return true;
}

}  // namespace

bool resolve_model_input(const parsed_source& src, const feature_catalogue& catalogue,
                         model_input& in, std::string& error) {
  in.kind = src.kind;
  in.entity = src.entity;
  in.index = src.index;
  in.sub = src.sub;
  if (src.kind == input_kind::context || src.kind == input_kind::offline) {
    in.column = src.name;
    return true;
  }
  const feature_def* f = nullptr;
  if (!find_entity_feature(src, catalogue, f, error)) return false;
  in.feature = f->name;
  if (src.kind == input_kind::feature) {
    in.where = redis_value::hash_field;
    return resolve_feature(src, *f, in, error);
  }
  if (f->output.type != "list" && f->output.type != "zset")
    return fail(error, "len() needs a sequence feature (a list or sorted set); '" + f->name
                         + "' is a " + f->output.type);
  in.where = f->output.type == "list" ? redis_value::list : redis_value::zset;
  in.key = f->output.key;
  return true;
}

}  // namespace rtfeat

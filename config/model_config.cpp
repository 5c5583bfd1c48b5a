// model.toml -> model_config: the TOML layer (keys, types, lines); each source is
// parsed by model_source and checked against the catalogue by model_resolve.
// Unknown keys are errors, as in every rtfeat config.
#include "config/model_config.hpp"

#include <cmath>
#include <filesystem>
#include <set>

#include <toml++/toml.h>

#include "config/model_resolve.hpp"
#include "config/model_source.hpp"

namespace rtfeat {

namespace {

/// "model.toml:LINE: msg" into `error`; always false.
struct reporter {
  std::string file;
  std::string& error;
  bool operator()(const toml::node& n, const std::string& msg) const {
    error = file + ":" + std::to_string(n.source().begin.line) + ": " + msg;
    return false;
  }
};

bool check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                std::string_view what, const reporter& fail) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k.str();
    if (!ok) return fail(v, "unknown key '" + std::string(k.str()) + "' in " + std::string(what));
  }
  return true;
}

bool get_string(const toml::table& t, std::string_view key, const toml::node& owner,
                std::string& out, const reporter& fail) {
  const auto* n = t.get(key);
  if (n == nullptr) return fail(owner, "missing key '" + std::string(key) + "'");
  if (!n->is_string() || n->value<std::string>()->empty())
    return fail(*n, "'" + std::string(key) + "' must be a non-empty string");
  out = *n->value<std::string>();
  return true;
}

bool parse_input(const toml::node& n, const feature_catalogue& catalogue, model_input& in,
                 const reporter& fail) {
  const auto* t = n.as_table();
  if (t == nullptr) return fail(n, "[[input]] must be a table");
  if (!check_keys(*t, {"name", "source", "default"}, "[[input]]", fail)) return false;
  in.line = static_cast<int>(n.source().begin.line);
  if (!get_string(*t, "name", n, in.name, fail) || !get_string(*t, "source", n, in.source, fail))
    return false;
  const auto* d = t->get("default");
  if (d == nullptr)
    return fail(n, "input '" + in.name + "': missing key 'default' (the value used when the source has none;"
                   " nan = missing for XGBoost)");
  if (!d->is_number()) return fail(*d, "'default' must be a number (nan = missing for XGBoost)");
  in.default_value = *d->value<double>();
  if (std::isinf(in.default_value)) return fail(*d, "'default' must be finite or nan");
  const auto& src_node = *t->get("source");
  parsed_source src;
  std::string why;
  if (!parse_model_source(in.source, src, why))
    return fail(src_node, "source '" + in.source + "': " + why);
  if (!resolve_model_input(src, catalogue, in, why)) return fail(src_node, why);
  return true;
}

bool parse_model(const toml::table& tbl, const std::string& path,
                 const feature_catalogue& catalogue, model_config& out, const reporter& fail) {
  if (!check_keys(tbl, {"model", "id", "input"}, "model config (model, id, [[input]])", fail))
    return false;
  if (!get_string(tbl, "model", tbl, out.model_file, fail)
      || !get_string(tbl, "id", tbl, out.id, fail))
    return false;
  std::filesystem::path model(out.model_file);
  if (model.is_relative())
    out.model_file =
      (std::filesystem::path(path).parent_path() / model).lexically_normal().string();
  const auto* arr = tbl.get_as<toml::array>("input");
  if (arr == nullptr || arr->empty())
    return fail(tbl, "no [[input]] defined (the model's feature vector)");
  std::set<std::string> names;
  for (const auto& n : *arr) {
    model_input in;
    if (!parse_input(n, catalogue, in, fail)) return false;
    if (!names.insert(in.name).second) return fail(n, "duplicate input name '" + in.name + "'");
    out.inputs.push_back(std::move(in));
  }
  return true;
}

}  // namespace

std::string_view to_string(model_entity e) { return e == model_entity::user ? "user" : "item"; }

bool load_model_config(const std::string& path, const feature_catalogue& catalogue,
                       model_config& out, std::string& error) {
  out = model_config{};
  out.path = path;
  auto name = std::filesystem::path(path).filename().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return error = path + ": cannot open model config", false;
  reporter fail{name, error};
  try {
    auto tbl = toml::parse_file(path);
    return parse_model(tbl, path, catalogue, out, fail);
  } catch (const toml::parse_error& e) {
    error =
      name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  }
}

}  // namespace rtfeat

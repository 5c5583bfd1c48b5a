// A vector whose front can be erased in O(1): the sorted entries of last_k
// lose their oldest entry on almost every event once full, and erasing the
// front of a std::vector moved all k-1 others each time (5 % of the raw
// baseline's instructions). Erased front slots are left behind and reclaimed
// in one move once they are half of the storage.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace rtfeat {

template <class T>
class front_erasable_vector {
public:
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  iterator begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  const_iterator end() const { return items_.end(); }
  auto rbegin() const { return items_.rbegin(); }
  auto rend() const { return std::make_reverse_iterator(begin()); }
  size_t size() const { return items_.size() - head_; }
  bool empty() const { return size() == 0; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }

  void push_back(T x) { items_.push_back(std::move(x)); }
  /// Room for `n` more: one allocation instead of several as a restore fills it.
  void reserve_more(size_t n) { items_.reserve(items_.size() + n); }
  iterator insert(const_iterator pos, T x) { return items_.insert(pos, std::move(x)); }

  /// Erases [first, last); a range at the front costs nothing but resetting its slots.
  iterator erase(const_iterator first, const_iterator last) {
    if (first != begin() || first == last) return items_.erase(first, last);
    auto n = static_cast<size_t>(last - first);
    for (size_t i = head_; i < head_ + n; ++i) items_[i] = T{};  // release what they hold
    head_ += n;
    if (head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    return begin();
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }

private:
  std::vector<T> items_;
  size_t head_ = 0;  // items_[0 .. head_) are erased
};

}  // namespace rtfeat

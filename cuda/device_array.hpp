#pragma once
// DeviceArray<T>: an owning, typed array in the memory of the backend that
// was active when it was allocated (GPU memory under CUDA, aligned host
// memory under the CPU backend). Move-only; copies are explicit (clone,
// to_host, copy_from_host) because each one may cross the PCIe bus.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cuda/backend.hpp"
#include "cuda/memory.hpp"

namespace vitra {

template <class T>
class DeviceArray {
  static_assert(std::is_trivially_copyable_v<T>, "DeviceArray holds trivially copyable types");

 public:
  DeviceArray() = default;
  explicit DeviceArray(std::size_t n, Backend where = active_backend())
      : data_(static_cast<T*>(memory::allocate(n * sizeof(T), where))), size_(n), where_(where) {}
  explicit DeviceArray(const std::vector<T>& host, Backend where = active_backend())
      : DeviceArray(host.size(), where) {
    memory::copy_to(data_, where_, host.data(), size_ * sizeof(T));
  }
  ~DeviceArray() { memory::release(data_, where_); }

  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray(DeviceArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)), where_(o.where_) {}
  DeviceArray& operator=(DeviceArray&& o) noexcept {
    if (this != &o) {
      memory::release(data_, where_);
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      where_ = o.where_;
    }
    return *this;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  Backend backend() const { return where_; }

  // Reallocates to n elements in the active backend's memory; contents are lost.
  void resize(std::size_t n) {
    if (n == size_ && where_ == active_backend()) return;
    *this = DeviceArray(n);
  }
  void fill_zero() { memory::zero(data_, size_ * sizeof(T), where_); }

  void copy_from_host(const std::vector<T>& host) {
    resize(host.size());
    memory::copy_to(data_, where_, host.data(), size_ * sizeof(T));
  }
  void copy_from_host(const T* host, std::size_t n) {
    resize(n);
    memory::copy_to(data_, where_, host, n * sizeof(T));
  }
  std::vector<T> to_host() const {
    std::vector<T> out(size_);
    memory::copy_from(out.data(), data_, where_, size_ * sizeof(T));
    return out;
  }
  // One element, for scalars kept on the device (counters, flags, sums).
  T get(std::size_t i) const {
    check_index(i);
    T v;
    memory::copy_from(&v, data_ + i, where_, sizeof(T));
    return v;
  }
  void set(std::size_t i, const T& v) {
    check_index(i);
    memory::copy_to(data_ + i, where_, &v, sizeof(T));
  }
  DeviceArray clone() const {
    DeviceArray out(size_, where_);
    memory::copy_within(out.data_, data_, size_ * sizeof(T), where_);
    return out;
  }
  void copy_from(const DeviceArray& src) {
    if (src.where_ != where_ || src.size_ != size_) *this = DeviceArray(src.size_, src.where_);
    memory::copy_within(data_, src.data_, size_ * sizeof(T), where_);
  }

 private:
  void check_index(std::size_t i) const {
    if (i >= size_)
      throw std::out_of_range("DeviceArray index " + std::to_string(i) + " out of range (size " +
                              std::to_string(size_) + ")");
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  Backend where_ = Backend::Cpu;
};

}  // namespace vitra

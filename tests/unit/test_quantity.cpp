// Quantities with units in workflow files: each unit, the default unit of a
// bare number, durations in steps, and the errors for units that do not fit.
#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>

#include "host/error.hpp"
#include "host/workflow/quantity.hpp"

using namespace vitra;
using namespace vitra::workflow;

namespace {

std::string expect_input_error(const std::function<void()>& f,
                               std::initializer_list<std::string> parts) {
  try {
    f();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    for (const auto& p : parts)
      EXPECT_NE(msg.find(p), std::string::npos) << "missing \"" << p << "\" in: " << msg;
    return msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got another exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected InputError, nothing was thrown";
  return {};
}

QuantityInput s(const char* text) { return std::string(text); }

}  // namespace

TEST(Quantity, TimeUnits) {
  EXPECT_DOUBLE_EQ(parse_time(s("1 fs")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_time(s("2.5 ps")), 2.5);
  EXPECT_DOUBLE_EQ(parse_time(s("3 ns")), 3000.0);
  EXPECT_DOUBLE_EQ(parse_time(0.5), 0.5);           // bare number: ps
  EXPECT_DOUBLE_EQ(parse_time(s("0.25")), 0.25);    // string without a unit: ps
  EXPECT_DOUBLE_EQ(parse_time(s("10fs")), 1e-2);    // the space is optional
  EXPECT_DOUBLE_EQ(parse_time(s("  +1e3 fs ")), 1.0);
}

TEST(Quantity, TemperatureIsKelvinOnly) {
  EXPECT_DOUBLE_EQ(parse_temperature(s("300 K")), 300.0);
  EXPECT_DOUBLE_EQ(parse_temperature(3500.0), 3500.0);
  expect_input_error([] { parse_temperature(s("25 C")); },
                     {"unknown temperature unit 'C'", "\"25 C\"", "accepted: K"});
  expect_input_error([] { parse_temperature(s("300 k")); }, {"did you mean 'K'?"});
}

TEST(Quantity, PressureUnits) {
  EXPECT_DOUBLE_EQ(parse_pressure(1.0), 1.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("1 bar")), 1.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("2 kbar")), 2000.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("1 GPa")), 1e4);
  EXPECT_DOUBLE_EQ(parse_pressure(s("-0.5 GPa")), -5000.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("1 MPa")), 10.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("1e5 Pa")), 1.0);
  EXPECT_DOUBLE_EQ(parse_pressure(s("1 atm")), 1.01325);
  expect_input_error([] { parse_pressure(s("1 psi")); },
                                             {"unknown pressure unit 'psi'", "bar", "kbar", "MPa",
                                              "GPa", "Pa", "atm"});
  expect_input_error([] { parse_pressure(s("1 gpa")); }, {"did you mean 'GPa'?"});
}

TEST(Quantity, TemperatureRates) {
  EXPECT_DOUBLE_EQ(parse_temperature_rate(s("1 K/ps")), 1.0);
  EXPECT_DOUBLE_EQ(parse_temperature_rate(s("10 K/ns")), 1e-2);
  EXPECT_DOUBLE_EQ(parse_temperature_rate(s("0.001 K/fs")), 1.0);
  EXPECT_DOUBLE_EQ(parse_temperature_rate(2.0), 2.0);
  expect_input_error([] { parse_temperature_rate(s("1 K/s")); },
                     {"unknown temperature rate unit 'K/s'", "K/ps, K/ns, K/fs"});
}

TEST(Quantity, StrainRates) {
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("-1e-3 /ps")), -1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("1e-3 1/ps")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("1e-3/ps")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("1 /ns")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("1e-6 /fs")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(s("1e9 /s")), 1e-3);
  EXPECT_DOUBLE_EQ(parse_strain_rate(5e-4), 5e-4);
  expect_input_error([] { parse_strain_rate(s("1e-3 /min")); },
                     {"unknown strain rate unit '/min'", "/ps, 1/ps, /ns, /fs, /s"});
}

TEST(Quantity, Pfactor) {
  // (75 fs)^2 * 100 GPa, ASE's suggested order of magnitude.
  EXPECT_NEAR(parse_pfactor(562500.0), 562500.0 * 1e-6 / 160.2176634, 1e-15);
  EXPECT_DOUBLE_EQ(parse_pfactor(s("2 eV*ps^2/A^3")), 2.0);
  // ASE's internal units and GPa*fs^2 describe the same quantity: 1 amu/A =
  // 1.66053906660e-27 kg / 1e-10 m = 1.66054e-17 kg/m and 1 GPa*fs^2 = 1e-21 kg/m.
  EXPECT_NEAR(parse_pfactor(s("1 amu/A")) / parse_pfactor(s("1 GPa*fs^2")), 16605.3906660,
              16605.39 * 1e-6);
  expect_input_error([] { parse_pfactor(s("1 bar")); }, {"unknown pfactor unit 'bar'", "amu/A"});
}

TEST(Quantity, Durations) {
  const Duration steps = parse_duration(s("5000 steps"));
  EXPECT_TRUE(steps.is_steps);
  EXPECT_EQ(steps.steps(0.001), 5000);
  EXPECT_EQ(parse_duration(s("1 step")).steps(0.002), 1);
  const Duration t = parse_duration(s("10 ps"));
  EXPECT_FALSE(t.is_steps);
  EXPECT_EQ(t.steps(0.001), 10000);  // 10 / 0.001 is 10000.000000000002 in doubles
  EXPECT_EQ(parse_duration(s("0.3 ns")).steps(0.001), 300000);
  EXPECT_EQ(parse_duration(s("100 fs")).steps(0.0005), 200);
  EXPECT_EQ(parse_duration(2.0).steps(0.001), 2000);  // bare number: ps
  expect_input_error([] { parse_duration(s("10.0005 ps")).steps(0.001); },
                     {"10.0005 ps", "not a whole number", "0.001 ps"});
  expect_input_error([] { parse_duration(s("1.5 steps")); }, {"whole", "1.5 steps"});
  expect_input_error([] { parse_duration(s("-3 steps")); }, {"non-negative", "-3 steps"});
  expect_input_error([] { parse_duration(s("10 min")); },
                     {"unknown duration unit 'min'", "fs, ps, ns, steps"});
  // to_string parses back to an equal Duration.
  for (const Duration& d : {steps, t, Duration::from_ps(0.1 + 0.2)})
    EXPECT_EQ(parse_duration(d.to_string()), d) << d.to_string();
}

TEST(Quantity, MalformedNumbers) {
  expect_input_error([] { parse_time(s("ten ps")); }, {"expected a time", "\"ten ps\""});
  expect_input_error([] { parse_time(s("")); }, {"expected a time"});
  expect_input_error([] { parse_time(s("nan ps")); }, {"expected a time"});
  expect_input_error([] { parse_pressure(s("1e999 bar")); }, {"expected a pressure"});
}

TEST(Quantity, FormatNumberRoundTrips) {
  for (double v : {0.001, 1e-5, 3500.0, -0.3, 0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, 0.0}) {
    const std::string text = format_number(v);
    EXPECT_EQ(parse_time(text), v) << text;
  }
  EXPECT_EQ(format_quantity(0.001, "ps"), "0.001 ps");
  EXPECT_EQ(format_number(3500.0), "3500");
}

// SPDX-License-Identifier: Apache-2.0
#include "agent/core/scan_pipeline.hpp"

#include "agent/core/scan_classifier.hpp"
#include "agent/core/tag_classifier.hpp"
#include "agent/core/time_format.hpp"
#include "agent/epcis/exception_event.hpp"

namespace dockgate {

// A door used both ways takes the direction the tag travelled (unknown for barcodes and
// tags seen from one side only); a one-way door keeps its own.
epcis::Direction travel_direction(epcis::Direction door, const std::optional<TagFacts>& tag) {
  if (door != epcis::Direction::both) return door;
  if (!tag || tag->travel == Travel::unknown) return epcis::Direction::both;
  return tag->travel == Travel::inbound ? epcis::Direction::inbound : epcis::Direction::outbound;
}

ScanPipeline::ScanPipeline(PipelineSettings settings)
    : settings_(std::move(settings)),
      patterns_(settings_.patterns),
      dedup_(settings_.dedup_window),
      ids_(settings_.id_seed) {
  for (const auto& d : settings_.doors) doors_[d.id] = d;
}

std::optional<ScannerPlace> ScanPipeline::scanner_place(const std::string& driver_id,
                                                        std::int64_t now_ms) const {
  auto it = scanner_places_.find(driver_id);
  if (it == scanner_places_.end()) return std::nullopt;
  const auto timeout = settings_.location_label_timeout.count();
  if (timeout > 0 && now_ms - it->second.since_ms > timeout) return std::nullopt;
  return it->second;
}

std::optional<PipelineOutput> ScanPipeline::on_location_label(const ScanRead& read,
                                                              const LocationLabel& label) {
  const std::string named =
      label.gln + (label.extension.empty() ? std::string() : " / " + label.extension);
  const DoorInfo* door = nullptr;
  if (label.gln == settings_.site_gln) {
    for (const auto& [id, d] : doors_) {
      if (!label.extension.empty() && d.gln_extension == label.extension) door = &d;
    }
  }
  if (door == nullptr) {
    ++counters_.invalid;
    std::string doors;
    for (const auto& [id, d] : doors_) doors += (doors.empty() ? "" : ", ") + d.gln_extension;
    const std::string reason = "door label " + named +
                               " names no dock door of this site (site GLN " + settings_.site_gln +
                               ", doors " + doors + "); the scanner stays at " + read.location_id;
    return exception("unknown_location_label", reason, read.driver_id, read.location_id,
                     read.time_ms, &read.symbology_id, &read.data);
  }
  ++counters_.location_scans;
  scanner_places_[read.driver_id] = ScannerPlace{door->id, read.time_ms};
  return std::nullopt;
}

std::optional<PipelineOutput> ScanPipeline::on_read(const ScanRead& scanned) {
  ++counters_.reads;
  // Classified first, so repeats are keyed on the object: a pallet's SSCC label scanned and
  // its SSCC-96 tag read at the same door within the window count once.
  Classified c = scanned.tag ? classify_tag(*scanned.tag, settings_.site_gln)
                             : classify_scan(scanned.symbology_id, scanned.data, patterns_,
                                             settings_.site_gln);
  if (c.location) return on_location_label(scanned, *c.location);
  // A roaming scanner reads where its last door label put it.
  std::optional<ScanRead> moved;
  if (!scanned.tag) {
    if (auto place = scanner_place(scanned.driver_id, scanned.time_ms);
        place && place->location_id != scanned.location_id) {
      moved = scanned;
      moved->location_id = place->location_id;
    }
  }
  const ScanRead& read = moved ? *moved : scanned;
  if (dedup_.suppress(read.location_id, identity_key(c, read.data), read.time_ms)) {
    return std::nullopt;
  }

  auto door = doors_.find(read.location_id);
  if (door == doors_.end()) {
    ++counters_.invalid;
    return exception("unknown_location",
                     "driver '" + read.driver_id + "' reports location '" + read.location_id +
                         "', which is not in the config",
                     read.driver_id, read.location_id, read.time_ms, &read.symbology_id,
                     &read.data);
  }
  if (!c.id) {
    ++counters_.invalid;
    return exception(read.tag ? "invalid_epc" : c.error_kind, c.error, read.driver_id,
                     read.location_id, read.time_ms, &read.symbology_id, &read.data);
  }
  ++counters_.events;
  epcis::ScanContext ctx;
  ctx.gateway_id = settings_.gateway_id;
  ctx.site_gln = settings_.site_gln;
  ctx.location_id = door->second.id;
  ctx.gln_extension = door->second.gln_extension;
  ctx.direction = travel_direction(door->second.direction, read.tag);
  ctx.driver_id = read.driver_id;
  ctx.event_time_ms = read.time_ms;
  ctx.tz_offset_minutes = settings_.tz_offset_minutes(read.time_ms);
  ctx.event_id = ids_.next(read.time_ms);
  ctx.symbology_id = read.symbology_id;
  ctx.raw_data = read.data;
  if (read.tag) ctx.tag = &*read.tag;
  PipelineOutput out;
  ScanDecoration deco;
  if (decorator_ != nullptr) {
    deco = decorator_->decorate(read, *c.id);
    ctx.biz_step = std::move(deco.biz_step);
    ctx.milestone = std::move(deco.milestone);
    ctx.extensions = std::move(deco.extensions);
    out.state = std::move(deco.state);
  }
  out.kind = PipelineOutput::Kind::event;
  out.feedback = deco.feedback ? std::move(*deco.feedback)
                               : std::vector<FeedbackSignal>{FeedbackSignal::green};
  out.event_id = ctx.event_id;
  out.open_json = epcis::object_event_open(ctx, *c.id);
  if (deco.followups) out.followups = deco.followups(ctx.event_id);
  out.seq_key = "dg:gatewaySeq";
  out.time_ms = read.time_ms;
  out.location_id = read.location_id;
  return out;
}

PipelineOutput ScanPipeline::on_read_error(const ReadError& error) {
  ++counters_.read_errors;
  epcis::ExceptionInfo extras;
  extras.extra = error.fields;
  return exception(error.kind, error.message, error.driver_id, error.location_id, error.time_ms,
                   nullptr, &error.data, &extras);
}

PipelineOutput ScanPipeline::on_device_status(const DeviceStatus& status) {
  return exception(status.up ? "device_up" : "device_down", status.detail, status.driver_id,
                   status.location_id, status.time_ms, nullptr, nullptr);
}

PipelineOutput ScanPipeline::on_suppressed(const SuppressedSummary& s) {
  epcis::ExceptionInfo extras;
  extras.extra = {{"suppressedType", s.kind},
                  {"windowStart", format_utc_ms(s.window_start_ms)},
                  {"sampleReason", s.sample_reason}};
  extras.extra_numbers = {{"suppressedCount", static_cast<std::int64_t>(s.suppressed)},
                          {"publishedCount", static_cast<std::int64_t>(s.published)}};
  const std::string reason =
      std::to_string(s.suppressed) + " more " + s.kind + " exception(s) from driver " +
      s.driver_id + " held back in " + std::to_string(s.window_end_ms - s.window_start_ms) +
      " ms (" + std::to_string(s.published) + " published in full); the device is babbling";
  return exception("exceptions_suppressed", reason, s.driver_id, s.location_id, s.window_end_ms,
                   nullptr, &s.sample, &extras);
}

PipelineOutput ScanPipeline::on_gateway_problem(
    std::string type, std::string reason, std::int64_t time_ms,
    std::vector<std::pair<std::string, std::string>> fields,
    const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
  epcis::ExceptionInfo extras;
  extras.extra = std::move(fields);
  for (const auto& [key, n] : counts)
    extras.extra_numbers.emplace_back(key, static_cast<std::int64_t>(n));
  PipelineOutput out = exception(std::move(type), std::move(reason), "buffer", "", time_ms, nullptr,
                                 nullptr, &extras);
  out.feedback.clear();  // no door to signal at
  return out;
}

PipelineOutput ScanPipeline::exception(std::string type, std::string reason,
                                       const std::string& driver_id, const std::string& location_id,
                                       std::int64_t time_ms, const std::string* symbology,
                                       const std::string* raw, const epcis::ExceptionInfo* extras) {
  epcis::ExceptionInfo info;
  info.type = std::move(type);
  info.reason = std::move(reason);
  info.gateway_id = settings_.gateway_id;
  info.site_id = settings_.site_id;
  info.location_id = location_id;
  if (auto door = doors_.find(location_id); door != doors_.end()) {
    info.read_point = epcis::read_point_uri(settings_.site_gln, door->second.gln_extension);
  }
  info.driver_id = driver_id;
  info.time_ms = time_ms;
  info.tz_offset_minutes = settings_.tz_offset_minutes(time_ms);
  info.event_id = ids_.next(time_ms);
  if (symbology != nullptr) info.symbology_id = *symbology;
  if (raw != nullptr) {
    info.raw_data = *raw;
    info.has_raw = true;
  }
  if (extras != nullptr) {
    info.extra = extras->extra;
    info.extra_numbers = extras->extra_numbers;
  }
  PipelineOutput out;
  out.kind = PipelineOutput::Kind::exception;
  // Everything at the door that staff should look at shows red; a device coming back not.
  // Not when the signal tower itself failed: red would fail again, and again.
  if (info.type != "device_up" && info.type != "signal_write_failed") {
    out.feedback = {FeedbackSignal::red};
  }
  out.event_id = info.event_id;
  out.open_json = epcis::exception_event_open(info);
  out.exception_type = info.type;
  out.exception_reason = info.reason;
  out.seq_key = "gatewaySeq";
  out.time_ms = time_ms;
  out.location_id = location_id;
  return out;
}

}  // namespace dockgate

// Draws ImGui's draw data with WebGL2: the app's own renderer, in place of ImGui's
// imgui_impl_opengl3 backend.
// - Why: in a browser, every GL query that the client does not cache is a synchronous round trip
//   to the GPU process, which first finishes all the work queued before it. The backend backs up
//   and restores the GL state around every frame (7 such queries a frame, measured at 20-40 ms
//   each under SwiftShader while the first catalogue loads) and checks each shader's status.
//   The canvas' context belongs to the app alone, so this renderer sets the state it needs and
//   never reads any back; it asks once, after linking, whether the program linked.
// - The font atlas is one 8-bit texture (coverage), a quarter of the backend's RGBA upload.
#pragma once

struct ImDrawData;

namespace hfrec::app::gl {

// Creates the program, buffers and vertex layout on the current context. false (and a message on
// stderr) when the shaders do not link.
bool init();
// (Re)builds the font atlas if needed and uploads it; sets the atlas' texture id.
void upload_fonts();
// Draws a frame's draw lists into the default framebuffer (viewport, blending and scissor set here).
void render(const ImDrawData* data);

}  // namespace hfrec::app::gl

//! The CPU host: a winit window whose frames the `raster` module paints and
//! softbuffer presents (GDI on Windows, X11 shared memory or Wayland on
//! Linux), for machines without a usable GPU: WinPE, the inbox display
//! driver, remote desktop, VMs without 3D. Input goes through egui-winit as
//! in eframe; it paints only when egui asks for a frame. Keeps its own
//! window placement in the settings file.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{ViewportId, ViewportInfo};
use winit::application::ApplicationHandler;
use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::window::{Window, WindowId};

use super::super::app::{Layout, LogWeaveApp};
use super::super::frame;
use super::super::raster::Rasterizer;
use super::super::settings::{self, WindowPlacement};
use super::super::single_instance::Listener;

/// Sent from any thread: egui wants a frame after this delay.
struct RepaintAfter(Duration);

/// The open window and what draws into it.
struct Surface {
    window: Arc<Window>,
    egui: egui_winit::State,
    pixels: softbuffer::Surface<Arc<Window>, Arc<Window>>,
    info: ViewportInfo,
}

struct CpuHost {
    ctx: egui::Context,
    app: LogWeaveApp,
    rasterizer: Rasterizer,
    surface: Option<Surface>,
    /// When egui wants its next frame (`None`: only on input).
    repaint_at: Option<Instant>,
    /// Why the window could not be opened or painted.
    error: Option<String>,
}

/// Runs the window on the CPU renderer until it is closed.
pub fn run(files: Vec<PathBuf>, layout: Layout, listener: Option<Listener>) -> Result<(), String> {
    let event_loop = EventLoop::<RepaintAfter>::with_user_event()
        .build()
        .map_err(|e| format!("no window system: {e}"))?;
    let ctx = egui::Context::default();
    let proxy: EventLoopProxy<RepaintAfter> = event_loop.create_proxy();
    ctx.set_request_repaint_callback(move |info| {
        let _ = proxy.send_event(RepaintAfter(info.delay));
    });
    let loaded = settings::load();
    let mut app = super::start_app(
        &ctx,
        loaded.settings.unwrap_or_default(),
        &files,
        layout,
        listener,
    );
    app.report_settings_problem(loaded.problem);
    let mut host = CpuHost {
        ctx,
        app,
        rasterizer: Rasterizer::new(),
        surface: None,
        repaint_at: Some(Instant::now()),
        error: None,
    };
    event_loop
        .run_app(&mut host)
        .map_err(|e| format!("the window's event loop failed: {e}"))?;
    match host.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl CpuHost {
    fn open(&mut self, event_loop: &ActiveEventLoop) -> Result<Surface, String> {
        let mut viewport = super::viewport();
        let placement = self.app.settings.window.filter(|p| {
            let screens: Vec<[i64; 4]> = event_loop
                .available_monitors()
                .map(|m| {
                    let (at, size) = (m.position(), m.size());
                    [
                        i64::from(at.x),
                        i64::from(at.y),
                        i64::from(size.width),
                        i64::from(size.height),
                    ]
                })
                .collect();
            // Without a list of monitors (Wayland) trust the saved place.
            screens.is_empty() || p.is_reachable(&screens)
        });
        if let Some(p) = placement {
            viewport = viewport.with_maximized(p.maximized);
        }
        let window = egui_winit::create_window(&self.ctx, event_loop, &viewport)
            .map_err(|e| format!("cannot create the window: {e}"))?;
        if let Some(p) = placement {
            let _ = window.request_inner_size(PhysicalSize::new(p.width, p.height));
            window.set_outer_position(PhysicalPosition::new(p.x, p.y));
        }
        let window = Arc::new(window);
        let context = softbuffer::Context::new(Arc::clone(&window))
            .map_err(|e| format!("cannot draw into the window: {e}"))?;
        let pixels = softbuffer::Surface::new(&context, Arc::clone(&window))
            .map_err(|e| format!("cannot draw into the window: {e}"))?;
        let egui = egui_winit::State::new(
            self.ctx.clone(),
            ViewportId::ROOT,
            event_loop,
            Some(window.scale_factor() as f32),
            window.theme(),
            Some(8192),
        );
        let mut info = ViewportInfo::default();
        egui_winit::update_viewport_info(&mut info, &self.ctx, &window, true);
        window.request_redraw();
        Ok(Surface {
            window,
            egui,
            pixels,
            info,
        })
    }

    /// Runs one egui frame and paints it.
    fn paint(&mut self, event_loop: &ActiveEventLoop) {
        let Some(surface) = self.surface.as_mut() else {
            return;
        };
        let window = Arc::clone(&surface.window);
        egui_winit::update_viewport_info(&mut surface.info, &self.ctx, &window, false);
        surface
            .egui
            .egui_input_mut()
            .viewports
            .insert(ViewportId::ROOT, surface.info.clone());
        let input = surface.egui.take_egui_input(&window);
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| {
            frame::logic(app, ui.ctx());
            frame::ui(app, ui);
        });
        surface.egui.handle_platform_output_with_event_loop(
            &window,
            event_loop,
            std::mem::take(&mut output.platform_output),
        );
        let mut close = false;
        if let Some(viewport) = output.viewport_output.remove(&ViewportId::ROOT) {
            let mut actions = Vec::new();
            egui_winit::process_viewport_commands(
                &self.ctx,
                &mut surface.info,
                viewport.commands,
                &window,
                &mut actions,
            );
            for action in actions {
                // Paste as new log asks the back end for the clipboard.
                if let egui_winit::ActionRequested::Paste = action
                    && let Some(text) = surface.egui.clipboard_text()
                {
                    surface
                        .egui
                        .egui_input_mut()
                        .events
                        .push(egui::Event::Paste(text.replace("\r\n", "\n")));
                    window.request_redraw();
                }
            }
            close = surface
                .info
                .events
                .iter()
                .any(|e| matches!(e, egui::ViewportEvent::Close));
            self.repaint_at = (viewport.repaint_delay < Duration::from_secs(3600))
                .then(|| Instant::now() + viewport.repaint_delay);
        }
        let primitives = self
            .ctx
            .tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        let mut textures = std::mem::take(&mut output.textures_delta);
        self.rasterizer.set_textures(&mut textures);
        let size = window.inner_size();
        if let (Some(w), Some(h)) = (NonZeroU32::new(size.width), NonZeroU32::new(size.height)) {
            let clear = self.ctx.global_style().visuals.panel_fill;
            let painted = surface.pixels.resize(w, h).and_then(|()| {
                let mut buffer = surface.pixels.buffer_mut()?;
                self.rasterizer.paint_into(
                    &mut buffer,
                    size.width as usize,
                    size.height as usize,
                    &primitives,
                    output.pixels_per_point,
                    clear,
                );
                window.pre_present_notify();
                buffer.present()
            });
            if let Err(e) = painted {
                self.error = Some(format!("cannot draw into the window: {e}"));
                close = true;
            }
        }
        self.rasterizer.free_textures(&mut textures);
        if close {
            self.close(event_loop);
        }
    }

    fn close(&mut self, event_loop: &ActiveEventLoop) {
        if let Some(surface) = &self.surface {
            let window = &surface.window;
            if let Ok(at) = window.outer_position() {
                let size = window.inner_size();
                self.app.settings.window = Some(WindowPlacement {
                    x: at.x,
                    y: at.y,
                    width: size.width,
                    height: size.height,
                    maximized: window.is_maximized(),
                });
            }
        }
        super::save_settings(&self.app.settings);
        event_loop.exit();
    }
}

impl ApplicationHandler<RepaintAfter> for CpuHost {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.surface.is_some() {
            return;
        }
        match self.open(event_loop) {
            Ok(surface) => self.surface = Some(surface),
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(surface) = self.surface.as_mut() else {
            return;
        };
        match &event {
            WindowEvent::RedrawRequested => {
                self.paint(event_loop);
                return;
            }
            WindowEvent::CloseRequested | WindowEvent::Destroyed => {
                self.close(event_loop);
                return;
            }
            _ => {}
        }
        let response = surface.egui.on_window_event(&surface.window, &event);
        if response.repaint
            || matches!(
                event,
                WindowEvent::Resized(_) | WindowEvent::ScaleFactorChanged { .. }
            )
        {
            surface.window.request_redraw();
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: RepaintAfter) {
        let at = Instant::now() + event.0;
        self.repaint_at = Some(self.repaint_at.map_or(at, |current| current.min(at)));
        if event.0.is_zero()
            && let Some(surface) = &self.surface
        {
            surface.window.request_redraw();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        match self.repaint_at {
            Some(at) if at <= Instant::now() => {
                self.repaint_at = None;
                if let Some(surface) = &self.surface {
                    surface.window.request_redraw();
                }
                event_loop.set_control_flow(ControlFlow::Wait);
            }
            Some(at) => event_loop.set_control_flow(ControlFlow::WaitUntil(at)),
            None => event_loop.set_control_flow(ControlFlow::Wait),
        }
    }
}

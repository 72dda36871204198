//! The PNG backend: plotters' bitmap backend with our own text rasteriser.
//!
//! Plotters 0.3.7 places each `ab_glyph` glyph at the pen position without its left side
//! bearing, so letters are unevenly spaced ("af ter", "mo del") in every PNG. This wrapper
//! delegates all drawing to [`BitMapBackend`] except text, which it lays out with the
//! font's advances, kerning and glyph bounds. SVG needs no such help: its text is text.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    text_anchor::{HPos, VPos},
};

use super::theme::FONT;

/// A [`BitMapBackend`] that draws text with correct glyph spacing.
pub(crate) struct Raster<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

/// A glyph pixel: x, y relative to the text box's top-left corner, and its coverage.
type Ink = (i32, i32, f32);

type RasterError<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> Raster<'a> {
    pub(crate) fn new(inner: BitMapBackend<'a>) -> Result<Raster<'a>, ab_glyph::InvalidFont> {
        Ok(Raster {
            inner,
            font: FontRef::try_from_slice(FONT)?,
        })
    }

    /// Glyph pixels of `text` with their coverage, relative to the top-left corner of
    /// its box, and the box's size. The box spans the font's ascent to descent.
    fn layout(&self, text: &str, size: f64) -> (Vec<Ink>, (f32, f32)) {
        let scale = PxScale::from(size as f32);
        let scaled = self.font.as_scaled(scale);
        let ascent = scaled.ascent();
        let mut pixels = Vec::new();
        let mut pen = 0.0_f32;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(prev) = prev {
                pen += scaled.kern(prev, id);
            }
            let glyph = id.with_scale_and_position(scale, point(pen, ascent));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let (x0, y0) = (bounds.min.x as i32, bounds.min.y as i32);
                outline.draw(|x, y, coverage| {
                    if coverage > 0.0 {
                        pixels.push((x0 + x as i32, y0 + y as i32, coverage.min(1.0)));
                    }
                });
            }
            pen += scaled.h_advance(id);
            prev = Some(id);
        }
        (pixels, (pen, ascent - scaled.descent()))
    }
}

/// Implements drawing methods that pass straight through to the bitmap backend: each
/// `fn name<generics>(args);` (on `&mut self`, returning the backend's result) becomes a
/// call of the bitmap backend's method of that name with the same arguments.
macro_rules! pass_through {
    ($(fn $name:ident $(<$($param:ident: $bound:path),+>)? ($($arg:ident: $ty:ty),* $(,)?);)+) => {
        $(
            fn $name $(<$($param: $bound),+>)? (
                &mut self,
                $($arg: $ty),*
            ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
                self.inner.$name($($arg),*)
            }
        )+
    };
}

impl<'a> DrawingBackend for Raster<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    pass_through! {
        fn ensure_prepared();
        fn present();
        fn draw_pixel(point: BackendCoord, color: BackendColor);
        fn draw_line<S: BackendStyle>(from: BackendCoord, to: BackendCoord, style: &S);
        fn draw_rect<S: BackendStyle>(
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        );
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(path: I, style: &S);
        fn draw_circle<S: BackendStyle>(center: BackendCoord, radius: u32, style: &S, fill: bool);
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(vert: I, style: &S);
        fn blit_bitmap(pos: BackendCoord, size: (u32, u32), src: &[u8]);
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), RasterError<'a>> {
        let (_, (width, height)) = self.layout(text, style.size());
        Ok((width.ceil() as u32, height.ceil() as u32))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), RasterError<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (pixels, (width, height)) = self.layout(text, style.size());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        }
        .round() as i32;
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        }
        .round() as i32;
        let transform = style.transform();
        for (x, y, coverage) in pixels {
            let (x, y) = transform.transform(x + dx, y + dy);
            let ink = BackendColor {
                alpha: color.alpha * coverage as f64,
                rgb: color.rgb,
            };
            self.inner.draw_pixel((pos.0 + x, pos.1 + y), ink)?;
        }
        Ok(())
    }
}
